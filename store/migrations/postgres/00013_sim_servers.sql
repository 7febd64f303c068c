-- +goose Up
-- The simulated compute service's servers (delivery/ecs, Sim): kept in the
-- database so they outlive a restart and every process sees the same ones.
-- status is where the last action left a server; one in BUILD becomes ACTIVE
-- (or, with fail_boot, ERROR) by itself at ready_at.
CREATE TABLE sim_servers (
    id           TEXT PRIMARY KEY,
    client_token TEXT,          -- a retried create with the same token gets the same server
    name         TEXT NOT NULL,
    image_ref    TEXT NOT NULL,
    flavor       TEXT NOT NULL,
    region       TEXT NOT NULL,
    network      TEXT NOT NULL,
    key_name     TEXT NOT NULL,
    metadata     TEXT NOT NULL, -- {"key": "value"} as JSON
    status       TEXT NOT NULL CHECK (status IN ('BUILD', 'ACTIVE', 'SHUTOFF', 'ERROR', 'DELETED')),
    fault        TEXT NOT NULL,
    fail_boot    BOOLEAN NOT NULL,
    address      TEXT,          -- held from creation; NULL once deleted, free for another
    created_at   TIMESTAMPTZ NOT NULL,
    ready_at     TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
-- Two servers never share an address nor a client token, however many are
-- created at once: the database decides, not a read before the write.
CREATE UNIQUE INDEX sim_servers_client_token ON sim_servers (client_token);
CREATE UNIQUE INDEX sim_servers_address ON sim_servers (address);

-- +goose Down
DROP TABLE sim_servers;
