-- Government information disclosure, fourth part: information requested
-- repeatedly (Art 44 of the regulation). The office tags a request with the
-- topic of the information sought; a topic asked for often enough may be
-- turned into a draft for proactive disclosure, recorded once per topic.
CREATE TABLE disclosure_request_topics (
    request_id bigint PRIMARY KEY REFERENCES disclosure_requests(id),
    agency_id  bigint NOT NULL REFERENCES disclosure_agencies(id),
    topic      text NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX disclosure_request_topics_agency ON disclosure_request_topics(agency_id, topic);

CREATE TABLE disclosure_repeat_drafts (
    agency_id  bigint NOT NULL REFERENCES disclosure_agencies(id),
    topic      text NOT NULL,
    doc_id     bigint NOT NULL REFERENCES disclosure_docs(id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (agency_id, topic)
);
