-- Which relay carried each delivery, so an hourly cap per relay holds
-- across the runs of cron.

ALTER TABLE deliveries ADD COLUMN relay TEXT;

CREATE INDEX deliveries_by_relay ON deliveries(relay, updated_at);
