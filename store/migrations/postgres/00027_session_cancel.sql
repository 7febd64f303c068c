-- +goose Up
-- An operator cancels a training session before it starts
-- (programme.CancelSession): its enrolments are cancelled with it and it
-- takes no more (the enrolling UPDATE asks cancelled_at IS NULL).
ALTER TABLE training_sessions ADD COLUMN cancelled_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE training_sessions DROP COLUMN cancelled_at;
