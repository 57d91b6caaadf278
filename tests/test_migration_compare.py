"""The migration check's comparison: what may change between the old layout and the new."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "migration_compare", Path(__file__).resolve().parent.parent / "bin" / "migration_compare.py"
)
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


def facts(**counts) -> dict:
    return {
        "counts": counts,
        "content_types": [[1, "charta", "section"], [2, "comments", "comment"]],
        "permissions": {"object_permissions": [["editor", "anna", "charta.edit", "1"]]},
        "anchors": [[7, "p-1", "current"]],
    }


def test_equal_databases_have_no_differences():
    assert compare.differences(facts(**{"charta.section": 5}), facts(**{"charta.section": 5})) == []


def test_new_models_may_add_content_types_and_permissions():
    before = facts(**{"auth.permission": 160, "contenttypes.contenttype": 39})
    after = facts(**{"auth.permission": 198, "contenttypes.contenttype": 47})
    after["content_types"].append([3, "charta", "suggestion"])

    assert compare.differences(before, after) == []


def test_a_lost_row_of_any_other_table_is_a_difference():
    assert compare.differences(facts(**{"charta.section": 5}), facts(**{"charta.section": 4}))


def test_a_renumbered_content_type_is_a_difference():
    after = facts()
    after["content_types"] = [[1, "charta", "section"], [9, "comments", "comment"]]

    assert compare.differences(facts(), after)


def test_a_lost_object_permission_is_a_difference():
    after = facts()
    after["permissions"] = {"object_permissions": []}

    assert compare.differences(facts(), after)
