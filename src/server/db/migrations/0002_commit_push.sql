-- Writing a push in ONE statement (src/server/sync/apply.ts): the push's reads and decisions
-- happen before, without any lock; this function then takes the dealership's change counter
-- FIRST (the row lock every writer of the dealership queues on, so change numbers commit in
-- order and a pull never skips, SYNC.md invariant 4), writes everything, and checks that
-- nothing it decided on was changed meanwhile by another push. If something was, it raises
-- serialization_failure (40001), the statement rolls back as a whole, and the caller redoes
-- the push. The lock is held only while this one statement runs, never across a round trip.
--
-- p holds JSON arrays; `rel` is a change number relative to this push (1..p_seqs), stored as
-- base + rel where base is the counter before this push.
--   fresh:      new intakes        {id, data, section_revs, status, content_hash, rel}
--   changed:    updated intakes    {id, data, section_revs, status, content_hash, rel, old_seq}
--               (written only if the row still has old_seq, i.e. is as it was read)
--   tech_checks / handovers: new signed follow-up records {id, intake_id, data, content_hash, rel}
--   mutations:  the idempotency rows {id, intake_id, op, client_at, rel (null: changed nothing), result}
CREATE FUNCTION wa_commit_push(p_dealership uuid, p_device uuid, p_staff uuid, p_seqs integer, p jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  base bigint := 0;
  n bigint;
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

  INSERT INTO tech_checks (dealership_id, id, intake_id, data, content_hash, seq, device_id, staff_id)
  SELECT p_dealership, v.id, v.intake_id, v.data, v.content_hash, base + v.rel, p_device, p_staff
  FROM jsonb_to_recordset(p->'tech_checks') AS v(id uuid, intake_id uuid, data jsonb, content_hash text, rel bigint)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'tech_checks') THEN
    RAISE EXCEPTION 'push race: a technician check was stored meanwhile' USING ERRCODE = '40001';
  END IF;

  INSERT INTO handovers (dealership_id, id, intake_id, data, content_hash, seq, device_id, staff_id)
  SELECT p_dealership, v.id, v.intake_id, v.data, v.content_hash, base + v.rel, p_device, p_staff
  FROM jsonb_to_recordset(p->'handovers') AS v(id uuid, intake_id uuid, data jsonb, content_hash text, rel bigint)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> jsonb_array_length(p->'handovers') THEN
    RAISE EXCEPTION 'push race: a handover was stored meanwhile' USING ERRCODE = '40001';
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

-- Several pushes of one dealership in one statement (group commit, src/server/sync/commitBatcher.ts):
-- while one commit runs, the pushes that arrive queue in the server and then go together, so
-- 50 tablets pushing at once take the counter lock a few times, not 50 times in a row. Each
-- push runs in its own subtransaction: one that lost a race ({"race": true}) or failed
-- ({"error": …}) is rolled back alone and the others commit. Answers come in the same order.
--   p: [{device, staff, seqs, writes}], writes as p of wa_commit_push
CREATE FUNCTION wa_commit_pushes(p_dealership uuid, p jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  item jsonb;
  answers jsonb := '[]'::jsonb;
BEGIN
  FOR item IN SELECT value FROM jsonb_array_elements(p) LOOP
    BEGIN
      answers := answers || jsonb_build_array(jsonb_build_object('base',
        wa_commit_push(p_dealership, (item->>'device')::uuid, (item->>'staff')::uuid, (item->>'seqs')::integer, item->'writes')));
    EXCEPTION
      WHEN serialization_failure THEN
        answers := answers || jsonb_build_array(jsonb_build_object('race', true));
      WHEN OTHERS THEN
        answers := answers || jsonb_build_array(jsonb_build_object('error', SQLERRM, 'code', SQLSTATE));
    END;
  END LOOP;
  RETURN answers;
END;
$$;
