-- +goose Up
-- How and where a provider hosts the service (接入方式, 服务器放置地), as filed with the access and changed by
-- change_access orders; '' where the filing did not say.
ALTER TABLE miit_accesses ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE miit_accesses ADD COLUMN location TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE miit_accesses DROP COLUMN location;
ALTER TABLE miit_accesses DROP COLUMN method;
