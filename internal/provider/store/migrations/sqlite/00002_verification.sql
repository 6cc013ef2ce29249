-- +goose Up
-- Documents and real-person verification (issue #5): file contents move behind the BlobStore interface (the
-- blobs table stays the default store), materials keep re-encoded copies for the receivers' limits, and the
-- PC → phone hand-off and the face checks get their tables.

-- Materials no longer reference blobs by foreign key: the bytes may live in another BlobStore. SQLite cannot
-- drop a constraint, so the table is rebuilt with the same rows and ids.
CREATE TABLE materials_new (
    id         INTEGER PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES accounts(id),
    code       TEXT NOT NULL,              -- material code (docs/rules.md) or app_icon
    type       TEXT NOT NULL,              -- media type detected from the content
    blob_hash  BLOB NOT NULL,              -- content address in the blob store (keyed hash)
    size       INTEGER NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
INSERT INTO materials_new (id, owner_id, code, type, blob_hash, size, width, height, created_at)
    SELECT id, owner_id, code, type, blob_hash, size, width, height, created_at FROM materials;
DROP TABLE materials;
ALTER TABLE materials_new RENAME TO materials;
CREATE INDEX materials_owner ON materials(owner_id, id);

-- Copies of a material re-encoded for a receiver (purpose miit: JPEG within MIIT's attachment limits,
-- verification form ≤ 150 KB, others ≤ 100 KB; police: ≤ 512 KB). Written at upload, so that forwarding
-- never re-encodes inside a transaction and an upload that cannot be made to fit is refused at once.
CREATE TABLE material_variants (
    material_id BIGINT NOT NULL REFERENCES materials(id),
    purpose     TEXT NOT NULL,
    blob_hash   BLOB NOT NULL,
    type        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    PRIMARY KEY (material_id, purpose)
);

-- One-time links of the PC → phone hand-off (Huawei Cloud's first-filing guide: valid ten minutes, spent when first opened). Only
-- hashes of the link token and of the phone's session secret are stored.
CREATE TABLE verification_links (
    id                 INTEGER PRIMARY KEY,
    token_hash         BLOB NOT NULL UNIQUE,
    order_id           BIGINT NOT NULL REFERENCES orders(id),
    person             TEXT NOT NULL,       -- subject_principal | services[i].principal | legal_representative
    created_by         BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    opened_at          BIGINT NOT NULL DEFAULT 0,
    session_hash       BLOB UNIQUE,         -- the phone's session, bound when the link is opened
    session_expires_at BIGINT NOT NULL DEFAULT 0,
    revoked_at         BIGINT NOT NULL DEFAULT 0 -- replaced by a newer link ("refresh")
);
CREATE INDEX verification_links_order ON verification_links(order_id, person, id);

-- Real-person verification records (docs/design.md §4.3 step 6): each accepted photo from capture to confirmation and
-- review. Refused photos are never stored. The photo itself is sealed in the blob store.
CREATE TABLE verifications (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    person       TEXT NOT NULL,
    person_hash  BLOB NOT NULL,             -- keyed hash of the credential of whom was verified
    method       TEXT NOT NULL,             -- face | curtain | administration_app
    state        TEXT NOT NULL,             -- captured | confirmed | returned | discarded | passed | failed
    link_id      BIGINT NOT NULL DEFAULT 0,
    blob_hash    BLOB,                      -- the photo as kept: re-encoded JPEG without EXIF or GPS
    miit_hash    BLOB,                      -- the copy sent to MIIT (≤ 100 KB)
    size         INTEGER NOT NULL DEFAULT 0,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    capture      TEXT NOT NULL DEFAULT '',  -- JSON: capture hints read before EXIF was dropped (camera, time)
    verifier     TEXT NOT NULL DEFAULT '',  -- external service that passed it, and its reference
    verifier_ref TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',  -- reviewer's note when sent back, or the administration's reason
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT NOT NULL DEFAULT 0,
    returned_at  BIGINT NOT NULL DEFAULT 0,
    returned_by  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX verifications_order ON verifications(order_id, person, id);

-- Verifications asked for beyond the rules: the legal representative when the reviewer or the administration
-- asks (Alibaba Cloud's filing notes).
CREATE TABLE verification_requests (
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    person       TEXT NOT NULL,
    requested_by BIGINT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    requested_at BIGINT NOT NULL,
    PRIMARY KEY (order_id, person)
);

-- +goose Down
DROP TABLE verification_requests;
DROP TABLE verifications;
DROP TABLE verification_links;
DROP TABLE material_variants;
