-- The car's history (issue 11): one vehicle row per car of a dealership, maintained by the
-- database itself from signed intakes, in the SAME statement (and so the same transaction) that
-- writes the intake: a trigger on `intakes`, so wa_commit_push and every other writer of intakes
-- keep it without knowing about it.
--
-- Identity: a car is keyed by its VIN (17 valid characters). An intake signed without a valid VIN
-- is attached to the vehicle currently carrying its plate, or makes a plate-only vehicle
-- (vin NULL); the first signed intake with a VIN and that plate gives the plate-only vehicle its
-- VIN (it never merges two vehicles that both have a VIN). Plates: `plate` is the current one,
-- `plates` every plate the car has carried (current included, in the order first seen).
-- The "last" fields (customer, make/model, odometer, last intake) come from the newest signed
-- visit by signedAt, so an older visit signed late never overwrites them.
--
-- Pull order: a vehicle row takes the seq of the intake change that last touched it. That seq was
-- handed out under the dealership's counter lock in the same transaction, so vehicle rows commit
-- in seq order too and the tablet's vehicle index (GET /api/sync/vehicles?since=) never skips.
-- Each intake touches one vehicle, so no two vehicle rows share a seq.
CREATE TABLE vehicles (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  vin text,
  plate text NOT NULL,
  plates text[] NOT NULL,
  make text NOT NULL,
  model text NOT NULL,
  year integer,
  colour text NOT NULL,
  -- {name, salutation, mobile} of the newest visit: offered on the tablet, never reused silently.
  customer jsonb NOT NULL,
  last_visit_at timestamptz NOT NULL,
  last_odometer_km integer,
  last_intake_id uuid NOT NULL,
  visit_count integer NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (dealership_id, id)
);
CREATE UNIQUE INDEX vehicles_vin ON vehicles (dealership_id, vin) WHERE vin IS NOT NULL;
CREATE INDEX vehicles_plates ON vehicles USING gin (plates);
CREATE INDEX vehicles_plate ON vehicles (dealership_id, plate);
CREATE INDEX vehicles_seq ON vehicles (dealership_id, seq);

ALTER TABLE intakes ADD COLUMN vehicle_id uuid;
CREATE INDEX intakes_vehicle ON intakes (dealership_id, vehicle_id) WHERE vehicle_id IS NOT NULL;

CREATE FUNCTION wa_vehicle_of_intake() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  d jsonb := NEW.data;
  v_vin text := upper(regexp_replace(coalesce(d->'vehicle'->>'vin', ''), '\s', '', 'g'));
  v_plate text := upper(regexp_replace(coalesce(d->'vehicle'->>'plate', ''), '[\s·.-]', '', 'g'));
  v_at timestamptz := coalesce(nullif(d->>'signedAt', '')::timestamptz, now());
  v_year integer := CASE WHEN jsonb_typeof(d->'vehicle'->'year') = 'number' THEN (d->'vehicle'->>'year')::integer END;
  v_odo integer := CASE WHEN jsonb_typeof(d->'visit'->'odometerKm') = 'number' THEN (d->'visit'->>'odometerKm')::integer END;
  v_customer jsonb := jsonb_build_object(
    'name', coalesce(d->'customer'->>'name', ''),
    'salutation', coalesce(d->'customer'->>'salutation', ''),
    'mobile', coalesce(d->'customer'->>'mobile', ''));
  found_id uuid;
  cur vehicles%ROWTYPE;
BEGIN
  IF v_vin !~ '^[A-HJ-NPR-Z0-9]{17}$' THEN v_vin := NULL; END IF;
  IF v_vin IS NULL AND v_plate = '' THEN RETURN NEW; END IF;

  IF v_vin IS NOT NULL THEN
    SELECT * INTO cur FROM vehicles WHERE dealership_id = NEW.dealership_id AND vin = v_vin FOR UPDATE;
    IF NOT FOUND AND v_plate <> '' THEN
      SELECT * INTO cur FROM vehicles
        WHERE dealership_id = NEW.dealership_id AND vin IS NULL AND plate = v_plate
        ORDER BY last_visit_at DESC LIMIT 1 FOR UPDATE;
    END IF;
  ELSE
    -- No VIN: the car that carries this plate now (a VIN'd one first, then the newest visit).
    SELECT * INTO cur FROM vehicles
      WHERE dealership_id = NEW.dealership_id AND plate = v_plate
      ORDER BY (vin IS NULL), last_visit_at DESC LIMIT 1 FOR UPDATE;
  END IF;

  IF cur.id IS NULL THEN
    found_id := gen_random_uuid();
    INSERT INTO vehicles (dealership_id, id, vin, plate, plates, make, model, year, colour, customer,
                          last_visit_at, last_odometer_km, last_intake_id, visit_count, seq)
    VALUES (NEW.dealership_id, found_id, v_vin, v_plate, CASE WHEN v_plate = '' THEN ARRAY[]::text[] ELSE ARRAY[v_plate] END,
            coalesce(d->'vehicle'->>'make', ''), coalesce(d->'vehicle'->>'model', ''), v_year,
            coalesce(d->'vehicle'->>'colour', ''), v_customer, v_at, v_odo, NEW.id, 1, NEW.seq);
  ELSE
    found_id := cur.id;
    IF v_at >= cur.last_visit_at THEN
      UPDATE vehicles SET
        vin = coalesce(vin, v_vin),
        plate = CASE WHEN v_plate = '' THEN plate ELSE v_plate END,
        plates = CASE WHEN v_plate = '' OR v_plate = ANY(plates) THEN plates ELSE plates || v_plate END,
        make = coalesce(nullif(d->'vehicle'->>'make', ''), make),
        model = coalesce(nullif(d->'vehicle'->>'model', ''), model),
        year = coalesce(v_year, year),
        colour = coalesce(nullif(d->'vehicle'->>'colour', ''), colour),
        customer = v_customer,
        last_visit_at = v_at,
        last_odometer_km = coalesce(v_odo, last_odometer_km),
        last_intake_id = NEW.id,
        visit_count = visit_count + 1,
        seq = NEW.seq
      WHERE dealership_id = NEW.dealership_id AND id = cur.id;
    ELSE
      UPDATE vehicles SET
        vin = coalesce(vin, v_vin),
        plates = CASE WHEN v_plate = '' OR v_plate = ANY(plates) THEN plates ELSE plates || v_plate END,
        visit_count = visit_count + 1,
        seq = NEW.seq
      WHERE dealership_id = NEW.dealership_id AND id = cur.id;
    END IF;
  END IF;
  NEW.vehicle_id := found_id;
  RETURN NEW;
END;
$$;

-- Fires once per intake: when it is written signed and has no vehicle yet (an amendment of a
-- signed intake keeps its vehicle_id, so it does not count as another visit).
CREATE TRIGGER intakes_vehicle_insert BEFORE INSERT ON intakes
  FOR EACH ROW WHEN (NEW.status = 'signed' AND NEW.vehicle_id IS NULL) EXECUTE FUNCTION wa_vehicle_of_intake();
CREATE TRIGGER intakes_vehicle_update BEFORE UPDATE ON intakes
  FOR EACH ROW WHEN (NEW.status = 'signed' AND NEW.vehicle_id IS NULL) EXECUTE FUNCTION wa_vehicle_of_intake();

-- Intakes signed before this migration: their vehicles, oldest visit first.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT dealership_id, id FROM intakes WHERE status = 'signed' AND vehicle_id IS NULL
           ORDER BY coalesce(nullif(data->>'signedAt', '')::timestamptz, updated_at), seq LOOP
    UPDATE intakes SET status = status WHERE dealership_id = r.dealership_id AND id = r.id;
  END LOOP;
END;
$$;
