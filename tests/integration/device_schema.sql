-- revision 0001
+ index ix_ballot_projects_ballot on ballot_projects
CREATE INDEX ix_ballot_projects_ballot ON ballot_projects (content_version, ballot_id);
+ index ix_outbox_status_seq on outbox
CREATE INDEX ix_outbox_status_seq ON outbox (status, device_seq);
+ index ix_proposals_dong_topic on proposals
CREATE INDEX ix_proposals_dong_topic ON proposals (content_version, dong, topic);
+ index sqlite_autoindex_alembic_version_1 on alembic_version
+ index sqlite_autoindex_assets_1 on assets
+ index sqlite_autoindex_ballot_projects_1 on ballot_projects
+ index sqlite_autoindex_ballots_1 on ballots
+ index sqlite_autoindex_content_assets_1 on content_assets
+ index sqlite_autoindex_content_versions_1 on content_versions
+ index sqlite_autoindex_contests_1 on contests
+ index sqlite_autoindex_outbox_1 on outbox
+ index sqlite_autoindex_outbox_2 on outbox
+ index sqlite_autoindex_point_rules_1 on point_rules
+ index sqlite_autoindex_promotions_1 on promotions
+ index sqlite_autoindex_proposals_1 on proposals
+ index sqlite_autoindex_surveys_1 on surveys
+ index sqlite_autoindex_videos_1 on videos
+ index uq_content_versions_one_active on content_versions
CREATE UNIQUE INDEX uq_content_versions_one_active ON content_versions (active) WHERE active;
+ table alembic_version on alembic_version
CREATE TABLE alembic_version (
version_num VARCHAR(32) NOT NULL,
CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
+ table assets on assets
CREATE TABLE assets (
sha256 VARCHAR(64) NOT NULL,
size INTEGER NOT NULL,
media_type VARCHAR NOT NULL,
PRIMARY KEY (sha256)
);
+ table ballot_projects on ballot_projects
CREATE TABLE ballot_projects (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
ballot_id VARCHAR NOT NULL,
dong VARCHAR,
cost_won INTEGER,
FOREIGN KEY(content_version) REFERENCES content_versions (version),
FOREIGN KEY(content_version, ballot_id) REFERENCES ballots (content_version, id),
PRIMARY KEY (content_version, id)
);
+ table ballots on ballots
CREATE TABLE ballots (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
dong VARCHAR,
opens_at VARCHAR(27),
closes_at VARCHAR(27),
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
+ table content_assets on content_assets
CREATE TABLE content_assets (
content_version VARCHAR NOT NULL,
sha256 VARCHAR(64) NOT NULL,
FOREIGN KEY(content_version) REFERENCES content_versions (version),
FOREIGN KEY(sha256) REFERENCES assets (sha256),
PRIMARY KEY (content_version, sha256)
);
+ table content_versions on content_versions
CREATE TABLE content_versions (
version VARCHAR NOT NULL,
schema_version INTEGER NOT NULL,
manifest TEXT NOT NULL,
loaded_at VARCHAR(27) NOT NULL,
active BOOLEAN NOT NULL,
PRIMARY KEY (version)
);
+ table contests on contests
CREATE TABLE contests (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
opens_at VARCHAR(27),
closes_at VARCHAR(27),
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
+ table outbox on outbox
CREATE TABLE outbox (
id VARCHAR(36) NOT NULL,
device_seq INTEGER NOT NULL,
kind VARCHAR NOT NULL,
schema_version INTEGER NOT NULL,
content_version VARCHAR,
created_at VARCHAR(27) NOT NULL,
clock_offset_s FLOAT NOT NULL,
boot_id VARCHAR NOT NULL,
practice BOOLEAN NOT NULL,
payload TEXT NOT NULL,
sealed_identity TEXT,
status VARCHAR DEFAULT 'pending' NOT NULL,
attempts INTEGER DEFAULT 0 NOT NULL,
last_error TEXT,
sent_at VARCHAR(27),
CONSTRAINT ck_outbox_device_seq CHECK (device_seq >= 1),
CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent')),
CONSTRAINT uq_outbox_device_seq UNIQUE (device_seq),
PRIMARY KEY (id)
);
+ table point_rules on point_rules
CREATE TABLE point_rules (
content_version VARCHAR NOT NULL,
activity_kind VARCHAR NOT NULL,
points INTEGER NOT NULL,
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, activity_kind)
);
+ table promotions on promotions
CREATE TABLE promotions (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
starts_at VARCHAR(27),
ends_at VARCHAR(27),
priority INTEGER,
emergency BOOLEAN,
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
+ table proposals on proposals
CREATE TABLE proposals (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
dong VARCHAR,
topic VARCHAR,
status VARCHAR,
agree_count INTEGER,
deadline VARCHAR(27),
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
+ table surveys on surveys
CREATE TABLE surveys (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
opens_at VARCHAR(27),
closes_at VARCHAR(27),
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
+ table videos on videos
CREATE TABLE videos (
content_version VARCHAR NOT NULL,
id VARCHAR NOT NULL,
position INTEGER NOT NULL,
title VARCHAR NOT NULL,
data TEXT NOT NULL,
duration_s FLOAT,
FOREIGN KEY(content_version) REFERENCES content_versions (version),
PRIMARY KEY (content_version, id)
);
-- revision 0002
+ index sqlite_autoindex_dead_letters_1 on dead_letters
+ index sqlite_autoindex_device_settings_1 on device_settings
+ table dead_letters on dead_letters
CREATE TABLE dead_letters (
envelope_id VARCHAR(36) NOT NULL,
reason TEXT NOT NULL,
moved_at VARCHAR(27) NOT NULL,
FOREIGN KEY(envelope_id) REFERENCES outbox (id),
PRIMARY KEY (envelope_id)
);
+ table device_settings on device_settings
CREATE TABLE device_settings (
"key" VARCHAR NOT NULL,
value TEXT,
PRIMARY KEY ("key")
);
~ table outbox on outbox
+ last_attempt_at VARCHAR(27),
+ receipt TEXT,
- CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent')),
+ CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent', 'dead')),
+ trigger dead_letters_never_deleted on dead_letters
CREATE TRIGGER dead_letters_never_deleted BEFORE DELETE ON dead_letters BEGIN SELECT RAISE(ABORT, 'dead letters are never deleted'); END;
+ trigger outbox_envelope_immutable on outbox
CREATE TRIGGER outbox_envelope_immutable BEFORE UPDATE OF id, device_seq, kind, schema_version, content_version, created_at, clock_offset_s, boot_id, practice, payload, sealed_identity ON outbox BEGIN SELECT RAISE(ABORT, 'outbox envelopes are immutable'); END;
+ trigger outbox_never_deleted on outbox
CREATE TRIGGER outbox_never_deleted BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted'); END;
-- revision 0003
~ table outbox on outbox
+ sealed_to TEXT,
+ trigger outbox_sealed_to_immutable on outbox
CREATE TRIGGER outbox_sealed_to_immutable BEFORE UPDATE OF sealed_to ON outbox BEGIN SELECT RAISE(ABORT, 'outbox envelopes are immutable'); END;
-- revision 0004
~ table outbox on outbox
+ exported_at VARCHAR(27),
- CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent', 'dead')),
+ CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent', 'dead', 'exported')),
-- revision 0005
+ index sqlite_autoindex_coaches_1 on coaches
+ table coaches on coaches
CREATE TABLE coaches (
code VARCHAR NOT NULL,
name TEXT NOT NULL,
pin_hash TEXT,
revoked BOOLEAN NOT NULL,
PRIMARY KEY (code)
);
-- revision 0006
+ index ix_civic_records_given on civic_records
CREATE INDEX ix_civic_records_given ON civic_records (kind, item_id, given_at);
+ index sqlite_autoindex_civic_records_1 on civic_records
+ table civic_records on civic_records
CREATE TABLE civic_records (
kind VARCHAR NOT NULL,
item_id VARCHAR NOT NULL,
scoped_key VARCHAR NOT NULL,
given_at VARCHAR(27) NOT NULL,
CONSTRAINT ck_civic_records_kind CHECK (kind IN ('agree', 'ballot')),
CONSTRAINT pk_civic_records PRIMARY KEY (kind, item_id, scoped_key)
);
-- revision 0007
~ table civic_records on civic_records
- CONSTRAINT ck_civic_records_kind CHECK (kind IN ('agree', 'ballot')),
+ CONSTRAINT ck_civic_records_kind CHECK (kind IN ('agree', 'ballot', 'contest_vote')),
