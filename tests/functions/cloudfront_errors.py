"""The status codes whose bodies CloudFront replaces (the distribution's
CustomErrorResponses in functions/template.yaml): a page that must show its
own form or message may not answer with one of them."""

import yaml

from tests.functions.test_template import TEMPLATE, _Loader


def replaced_codes() -> set[int]:
    template = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_Loader)
    codes = set()
    for resource in template["Resources"].values():
        config = (resource.get("Properties") or {}).get("DistributionConfig") or {}
        codes |= {int(rule["ErrorCode"]) for rule in config.get("CustomErrorResponses", [])}
    assert codes, "no CustomErrorResponses found in the template"
    return codes
