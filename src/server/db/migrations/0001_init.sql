-- Walkaround server schema v1. Migrations are only ever ADDED (never edited): see ../migrate.ts.
-- Tenancy: every row below dealerships carries dealership_id, and every query filters by it.

CREATE TABLE dealerships (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  -- The change counter of this dealership's pull order. Writers lock this row (FOR UPDATE) for
  -- the whole write transaction, so change sequence numbers commit in order and a pull never skips.
  change_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id uuid PRIMARY KEY,
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  username text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('advisor', 'technician', 'manager')),
  -- 'scrypt$N$r$p$saltB64$hashB64'
  password_hash text NOT NULL,
  pin_hash text NOT NULL,
  pin_failures integer NOT NULL DEFAULT 0,
  pin_locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (dealership_id, username)
);

CREATE TABLE device_sessions (
  id uuid PRIMARY KEY,
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  -- SHA-256 (hex) of the bearer token; the token itself is never stored.
  token_hash text NOT NULL UNIQUE,
  device_name text NOT NULL,
  staff_id uuid NOT NULL REFERENCES staff(id),
  acting_staff_id uuid NOT NULL REFERENCES staff(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);

-- Staff members who proved their PIN on a device session (may act on it).
CREATE TABLE session_staff (
  session_id uuid NOT NULL REFERENCES device_sessions(id),
  staff_id uuid NOT NULL REFERENCES staff(id),
  verified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, staff_id)
);

CREATE TABLE intakes (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  -- The whole record as the protocol's intakeSchema (what a pull returns).
  data jsonb NOT NULL,
  section_revs jsonb NOT NULL,
  status text NOT NULL,
  content_hash text,
  seq bigint NOT NULL,
  created_by_device uuid NOT NULL,
  created_by_staff uuid NOT NULL,
  updated_by_device uuid NOT NULL,
  updated_by_staff uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, id)
);
CREATE INDEX intakes_seq ON intakes (dealership_id, seq);

CREATE TABLE tech_checks (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  intake_id uuid NOT NULL,
  data jsonb NOT NULL,
  content_hash text NOT NULL,
  seq bigint NOT NULL,
  device_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, id)
);
CREATE INDEX tech_checks_seq ON tech_checks (dealership_id, seq);

CREATE TABLE handovers (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  intake_id uuid NOT NULL,
  data jsonb NOT NULL,
  content_hash text NOT NULL,
  seq bigint NOT NULL,
  device_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, id)
);
CREATE INDEX handovers_seq ON handovers (dealership_id, seq);

-- Every mutation ever received, with the answer given: the idempotency record. Written in the
-- same transaction as the change it made.
CREATE TABLE mutations (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  id uuid NOT NULL,
  intake_id uuid NOT NULL,
  op text NOT NULL,
  device_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  client_at text NOT NULL,
  -- The change sequence number this mutation produced (null when it changed nothing).
  seq bigint,
  result jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, id)
);

-- Blob ownership: bytes live once on disk (content-addressed); which dealership may read them
-- lives here. A row is written only after the bytes are durable on disk.
CREATE TABLE blobs (
  dealership_id uuid NOT NULL REFERENCES dealerships(id),
  sha256 text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  device_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dealership_id, sha256)
);
