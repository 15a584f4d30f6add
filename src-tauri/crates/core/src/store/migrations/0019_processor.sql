-- A request handled as a processor for a customer (the controller) (issue 19):
-- who the controller is and where its requests go, the day we received the
-- request (the request's own receipt date is the controller's), and the day it
-- was forwarded to the controller.
CREATE TABLE processor_roles (
    request_id TEXT PRIMARY KEY NOT NULL REFERENCES requests(id),
    controller TEXT NOT NULL,
    controller_email TEXT NOT NULL,
    received_by_us TEXT NOT NULL,
    forwarded_on TEXT
) STRICT;
