"""The kinds of notice the apps register, by name, for the tests."""

from charta import services as charta_services
from comments import services as comment_services
from measures import services as measure_services
from notifications import kinds


class Kind:
    REPLY = comment_services.REPLY
    HIDDEN = comment_services.HIDDEN
    COMMENT = charta_services.COMMENT
    REVIEW_REQUEST = charta_services.REVIEW_REQUEST
    WORKFLOW = charta_services.WORKFLOW
    DEADLINE = measure_services.DEADLINE
    PUBLISH_REQUEST = charta_services.PUBLISH_REQUEST
    PUBLISHED = charta_services.PUBLISHED
    REPORTED = comment_services.REPORTED
    STATUS_REPORT = measure_services.STATUS_REPORT
    ACKNOWLEDGED = measure_services.ACKNOWLEDGED
    ACKNOWLEDGEMENT_OVERDUE = measure_services.ACKNOWLEDGEMENT_OVERDUE

    @staticmethod
    def all() -> list[str]:
        return [kind.code for kind in kinds.all_kinds()]
