-- A device's secret as nats-server accepts it (bcrypt, NatsPasswordHash), computed when the secret is issued, so the
-- NatsJetStream mode can write nats-server's authorization file from the registry. NULL for devices registered
-- before this column (they need a secret rotation to get one) and for revoked devices.
ALTER TABLE devices ADD COLUMN nats_hash TEXT NULL;
