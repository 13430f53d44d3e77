-- Follow-up record drafts on the server (technician's checks and handovers): drafts are stored
-- and updated until signed (last writer wins by the record's updatedAt, decided in
-- src/server/sync/followUpOps.ts); a signed record is frozen. A draft has no content hash yet.
ALTER TABLE tech_checks ALTER COLUMN content_hash DROP NOT NULL;
ALTER TABLE handovers ALTER COLUMN content_hash DROP NOT NULL;

-- wa_commit_push as in 0002, except follow-up records: each write now says whether it is new
-- (old_seq null: inserted; a row that appeared meanwhile is a race) or replaces the version that
-- was read (old_seq: updated only if the row still has that seq; otherwise a race). Same counter
-- lock first, same 40001 guards, one statement.
--   tech_checks / handovers: {id, intake_id, data, content_hash, rel, old_seq}
CREATE OR REPLACE FUNCTION wa_commit_push(p_dealership uuid, p_device uuid, p_staff uuid, p_seqs integer, p jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  base bigint := 0;
  n bigint;
  want bigint;
BEGIN
  IF p_seqs > 0 THEN
    UPDATE dealerships SET change_seq = change_seq + p_seqs WHERE id = p_dealership
      RETURNING change_seq - p_seqs INTO base;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'dealership % not found', p_dealership;
    END IF;
  END IF;

  INSERT INTO intakes (dealership_id, id, data, section_revs, status, content_hash, seq,
                       created_by_device, created_by_staff, updated_by_device, updated_by_staff)
  SELECT p_dealership, v.id, v.data, v.section_revs, v.status, v.content_hash, base + v.rel,
         p_device, p_staff, p_device, p_staff
  FROM jsonb_to_recordset(p->'fresh') AS v(id uuid, data jsonb, section_revs jsonb, status text, content_hash text, rel bigint)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'fresh') THEN
    RAISE EXCEPTION 'push race: an intake was created meanwhile' USING ERRCODE = '40001';
  END IF;

  UPDATE intakes AS t
  SET data = v.data, section_revs = v.section_revs, status = v.status, content_hash = v.content_hash,
      seq = base + v.rel, updated_by_device = p_device, updated_by_staff = p_staff, updated_at = now()
  FROM jsonb_to_recordset(p->'changed') AS v(id uuid, data jsonb, section_revs jsonb, status text, content_hash text, rel bigint, old_seq bigint)
  WHERE t.dealership_id = p_dealership AND t.id = v.id AND t.seq = v.old_seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'changed') THEN
    RAISE EXCEPTION 'push race: an intake was changed meanwhile' USING ERRCODE = '40001';
  END IF;

  -- Technician's checks: new ones, then replaced versions.
  INSERT INTO tech_checks (dealership_id, id, intake_id, data, content_hash, seq, device_id, staff_id)
  SELECT p_dealership, v.id, v.intake_id, v.data, v.content_hash, base + v.rel, p_device, p_staff
  FROM jsonb_to_recordset(p->'tech_checks') AS v(id uuid, intake_id uuid, data jsonb, content_hash text, rel bigint, old_seq bigint)
  WHERE v.old_seq IS NULL
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  SELECT count(*) INTO want FROM jsonb_to_recordset(p->'tech_checks') AS v(old_seq bigint) WHERE v.old_seq IS NULL;
  IF n <> want THEN
    RAISE EXCEPTION 'push race: a technician check was stored meanwhile' USING ERRCODE = '40001';
  END IF;
  UPDATE tech_checks AS t
  SET data = v.data, content_hash = v.content_hash, seq = base + v.rel, device_id = p_device, staff_id = p_staff
  FROM jsonb_to_recordset(p->'tech_checks') AS v(id uuid, data jsonb, content_hash text, rel bigint, old_seq bigint)
  WHERE v.old_seq IS NOT NULL AND t.dealership_id = p_dealership AND t.id = v.id AND t.seq = v.old_seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'tech_checks') - want THEN
    RAISE EXCEPTION 'push race: a technician check was changed meanwhile' USING ERRCODE = '40001';
  END IF;

  -- Handovers: the same.
  INSERT INTO handovers (dealership_id, id, intake_id, data, content_hash, seq, device_id, staff_id)
  SELECT p_dealership, v.id, v.intake_id, v.data, v.content_hash, base + v.rel, p_device, p_staff
  FROM jsonb_to_recordset(p->'handovers') AS v(id uuid, intake_id uuid, data jsonb, content_hash text, rel bigint, old_seq bigint)
  WHERE v.old_seq IS NULL
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  SELECT count(*) INTO want FROM jsonb_to_recordset(p->'handovers') AS v(old_seq bigint) WHERE v.old_seq IS NULL;
  IF n <> want THEN
    RAISE EXCEPTION 'push race: a handover was stored meanwhile' USING ERRCODE = '40001';
  END IF;
  UPDATE handovers AS t
  SET data = v.data, content_hash = v.content_hash, seq = base + v.rel, device_id = p_device, staff_id = p_staff
  FROM jsonb_to_recordset(p->'handovers') AS v(id uuid, data jsonb, content_hash text, rel bigint, old_seq bigint)
  WHERE v.old_seq IS NOT NULL AND t.dealership_id = p_dealership AND t.id = v.id AND t.seq = v.old_seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'handovers') - want THEN
    RAISE EXCEPTION 'push race: a handover was changed meanwhile' USING ERRCODE = '40001';
  END IF;

  INSERT INTO mutations (dealership_id, id, intake_id, op, device_id, staff_id, client_at, seq, result)
  SELECT p_dealership, v.id, v.intake_id, v.op, p_device, p_staff, v.client_at, base + v.rel, v.result
  FROM jsonb_to_recordset(p->'mutations') AS v(id uuid, intake_id uuid, op text, client_at text, rel bigint, result jsonb)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'mutations') THEN
    RAISE EXCEPTION 'push race: a mutation was recorded meanwhile' USING ERRCODE = '40001';
  END IF;

  RETURN base;
END;
$$;
