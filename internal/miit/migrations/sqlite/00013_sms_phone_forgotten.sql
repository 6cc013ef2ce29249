-- A code verified or void no longer needs the sealed phone it was sent to (a new code is sent only while one
-- waits): the simulator now forgets it at that moment, and this forgets it for the codes that ended before.
-- The masked phone stays, for the review page.

-- +goose Up
UPDATE miit_sms_codes SET phone = x'' WHERE state <> 'pending';

-- +goose Down
-- Nothing to restore: the phones are gone.
SELECT 1;
