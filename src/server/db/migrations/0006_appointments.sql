-- Appointments (预约, src/model/appointment): the dealership's bookings, made on a tablet or sent
-- by its DMS (POST /api/appointments), pulled by every tablet in the change order like the other
-- records. `data` is the whole record as the protocol's appointmentSchema; the columns beside it
-- are what the routes filter on. The external id is unique per dealership (when there is one):
-- the same external id twice is one appointment (src/server/sync/appointmentOps.ts), and a second
-- create racing the first fails the commit with 40001, so the push is redone and finds it.
CREATE TABLE appointments (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  external_id text NOT NULL DEFAULT '',
  slot_date text NOT NULL,
  slot_time text NOT NULL,
  status text NOT NULL,
  data jsonb NOT NULL,
  seq bigint NOT NULL,
  device_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, id)
);
CREATE INDEX appointments_seq ON appointments (dealership_id, seq);
CREATE INDEX appointments_day ON appointments (dealership_id, slot_date, slot_time);
CREATE UNIQUE INDEX appointments_external_id ON appointments (dealership_id, external_id) WHERE external_id <> '';

-- The push's one statement now writes appointments too:
--   appointments: {id, external_id, date, time, status, data, rel, old_seq} (old_seq null: new)
-- The function of 0004 stays as it is, renamed; the new wa_commit_push calls it first (it takes
-- the counter lock FIRST and writes intakes, follow-up records and mutation rows), then inserts
-- the new appointments and replaces the changed ones, each only if the row still has the seq that
-- was read; otherwise 40001 and the whole statement rolls back (the push is redone). Same single
-- statement, same lock order; wa_commit_pushes calls it by name, unchanged.
ALTER FUNCTION wa_commit_push(uuid, uuid, uuid, integer, jsonb) RENAME TO wa_commit_push_before_appointments;

CREATE FUNCTION wa_commit_push(p_dealership uuid, p_device uuid, p_staff uuid, p_seqs integer, p jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  base bigint;
  n bigint;
  all_rows jsonb := COALESCE(p->'appointments', '[]'::jsonb);
  fresh jsonb;
  replaced jsonb;
BEGIN
  base := wa_commit_push_before_appointments(p_dealership, p_device, p_staff, p_seqs, p);

  fresh := COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(all_rows) e WHERE e->>'old_seq' IS NULL), '[]'::jsonb);
  replaced := COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(all_rows) e WHERE e->>'old_seq' IS NOT NULL), '[]'::jsonb);

  INSERT INTO appointments (dealership_id, id, external_id, slot_date, slot_time, status, data, seq, device_id, staff_id)
  SELECT p_dealership, v.id, v.external_id, v.date, v.time, v.status, v.data, base + v.rel, p_device, p_staff
  FROM jsonb_to_recordset(fresh) AS v(id uuid, external_id text, date text, time text, status text, data jsonb, rel bigint)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(fresh) THEN
    RAISE EXCEPTION 'push race: an appointment (or its external id) was stored meanwhile' USING ERRCODE = '40001';
  END IF;

  UPDATE appointments AS r
  SET slot_date = v.date, slot_time = v.time, status = v.status, data = v.data, seq = base + v.rel,
      device_id = p_device, staff_id = p_staff, updated_at = now()
  FROM jsonb_to_recordset(replaced) AS v(id uuid, date text, time text, status text, data jsonb, rel bigint, old_seq bigint)
  WHERE r.dealership_id = p_dealership AND r.id = v.id AND r.seq = v.old_seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(replaced) THEN
    RAISE EXCEPTION 'push race: an appointment was changed meanwhile' USING ERRCODE = '40001';
  END IF;

  RETURN base;
END;
$$;
