"""functions/template.yaml: the seller function, its routes, its private
inbox bucket (declined submissions removed after 90 days), least privilege."""

from tests.functions.test_template import (_statements, resources,  # noqa: F401 (fixtures)
                                           template)


def test_seller_routes_go_to_the_seller_function_before_api(resources):  # noqa: F811
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    patterns = [b["PathPattern"] for b in config["CacheBehaviors"]]
    for pattern in ("/api/daftar*", "/api/ubah*"):
        assert patterns.index(pattern) < patterns.index("/api/*")
        behaviour = config["CacheBehaviors"][patterns.index(pattern)]
        assert "POST" in behaviour["AllowedMethods"]
        origin = origins[behaviour["TargetOriginId"]]
        assert "SellerFunctionUrl" in str(origin["DomainName"])
        assert origin["OriginCustomHeaders"][0]["HeaderName"] == "X-Warung-Origin"
    seller = resources["SellerFunction"]["Properties"]
    assert seller["Environment"]["Variables"]["ORIGIN_SECRET"] == {"Ref": "OriginVerifySecret"}
    assert seller["Environment"]["Variables"]["INBOX_BUCKET"] == {"Ref": "InboxBucket"}


def test_inbox_bucket_is_private_and_forgets_declined_after_90_days(resources):  # noqa: F811
    inbox = resources["InboxBucket"]["Properties"]
    block = inbox["PublicAccessBlockConfiguration"]
    assert all(block[key] is True for key in ("BlockPublicAcls", "BlockPublicPolicy",
                                              "IgnorePublicAcls", "RestrictPublicBuckets"))
    rules = {r["Id"]: r for r in inbox["LifecycleConfiguration"]["Rules"]}
    declined = rules["declined-after-90-days"]
    assert declined["TagFilters"] == [{"Key": "status", "Value": "ditolak"}]
    assert declined["ExpirationInDays"] == 90


def test_seller_role_is_least_privilege(resources):  # noqa: F811
    actions = set()
    for statement in _statements(resources, "SellerRole"):
        assert statement["Resource"] != "*"
        listed = statement["Action"] if isinstance(statement["Action"], list) \
            else [statement["Action"]]
        assert not any(a.endswith("*") for a in listed)
        actions |= set(listed)
    assert "dynamodb:Scan" not in actions and not any(a.startswith("ses:") for a in actions)
    [inbox] = [s for s in _statements(resources, "SellerRole") if s["Sid"] == "Inbox"]
    assert all("/unggah/*" in str(r) or "/inbox/*" in str(r) or "/draft/*" in str(r)
               for r in inbox["Resource"])
