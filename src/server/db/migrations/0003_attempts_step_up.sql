-- Issue 9: per-account login lockout and the manager's password step-up.
-- Counting works like the PIN lockout (src/server/auth/attempts.ts): ONE UPDATE reserves an
-- attempt before the secret is checked, so parallel guesses can never check more than the limit.
ALTER TABLE staff ADD COLUMN login_failures integer NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN login_locked_until timestamptz;

-- Step-up: the staff member who re-entered their PASSWORD on this device session, and until when
-- that counts (a few minutes). Manager routes require it; a PIN never sets it.
ALTER TABLE device_sessions ADD COLUMN step_up_staff_id uuid REFERENCES staff(id);
ALTER TABLE device_sessions ADD COLUMN step_up_until timestamptz;
