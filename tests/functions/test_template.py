"""functions/template.yaml (AWS SAM): cfn-lint finds nothing, and the facts
the rest of the project relies on are in it."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "functions" / "template.yaml"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !GetAtt, ...) as plain dicts."""


def _tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _tag)


@pytest.fixture(scope="module")
def template():
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_Loader)


@pytest.fixture(scope="module")
def resources(template):
    return template["Resources"]


def test_cfn_lint_finds_nothing():
    from cfnlint.api import lint_file

    matches = lint_file(TEMPLATE)
    assert [str(m) for m in matches] == []


def test_cfn_lint_does_catch_mistakes(tmp_path):
    # The check above can fail: a typo in a property is an error.
    from cfnlint.api import lint_file

    broken = tmp_path / "template.yaml"
    broken.write_text(TEMPLATE.read_text().replace("ReservedConcurrentExecutions: 20",
                                                   "ReservedConcurrentExecution: 20"))
    assert any(m.rule.id.startswith("E") for m in lint_file(broken))


def test_sam_functions(template, resources):
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    function_globals = template["Globals"]["Function"]
    assert function_globals["Architectures"] == ["arm64"]
    assert function_globals["Runtime"] in ("python3.11", "python3.12")
    assert function_globals["CodeUri"] == "."
    env = function_globals["Environment"]["Variables"]
    assert set(env) >= {"ORDERS_TABLE", "MAIL_QUEUE_URL", "CATALOG_BUCKET", "CATALOG_KEY",
                        "MAIL_FROM", "ALLOWED_ORIGINS", "SITE_URL", "SELLER_EMAILS_PER_HOUR"}
    handlers = {name: r["Properties"]["Handler"] for name, r in resources.items()
                if r["Type"] == "AWS::Serverless::Function"}
    assert handlers == {"OrderFunction": "order.handler.handler",
                        "MailerFunction": "mailer.handler.handler",
                        "SearchFunction": "search.handler.handler",
                        "SweeperFunction": "sweeper.handler.handler",
                        "SellerFunction": "daftar.handler.handler",
                        "SellerPageFunction": "sellerpage.handler.handler",
                        "ReminderFunction": "reminder.handler.handler",
                        "WeeklyFunction": "weekly.handler.handler"}
    for name in handlers:
        props = resources[name]["Properties"]
        assert props["ReservedConcurrentExecutions"] > 0
        module = props["Handler"].rsplit(".", 1)[0].replace(".", "/")
        assert (ROOT / "functions" / f"{module}.py").is_file()
    for name in ("OrderFunction", "SearchFunction"):
        assert resources[name]["Properties"]["FunctionUrlConfig"]["AuthType"] == "NONE"


def test_table(resources):
    table = resources["OrdersTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert {"AttributeName": "pk", "AttributeType": "S"} in table["AttributeDefinitions"]
    [index] = table["GlobalSecondaryIndexes"]
    from backend import store
    assert index["IndexName"] == store.OUTBOX_INDEX
    assert index["KeySchema"] == [{"AttributeName": "outbox", "KeyType": "HASH"},
                                  {"AttributeName": "created_at", "KeyType": "RANGE"}]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_mail_queue_redrive_and_batch_failures(resources):
    queue = resources["MailQueue"]["Properties"]
    from local.resources import MAX_RECEIVE_COUNT
    assert queue["RedrivePolicy"]["maxReceiveCount"] == MAX_RECEIVE_COUNT == 15
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["MailDeadLetterQueue", "Arn"]}
    mailer = resources["MailerFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * mailer["Timeout"]
    [event] = mailer["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["Properties"]["BatchSize"] <= 10


def test_cloudfront_routes_api_to_the_functions(resources):
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert "OriginAccessControlId" in origins[config["DefaultCacheBehavior"]["TargetOriginId"]]
    behaviours = config["CacheBehaviors"]
    patterns = [b["PathPattern"] for b in behaviours]
    assert patterns.index("/api/search*") < patterns.index("/api/*")
    api = behaviours[patterns.index("/api/*")]
    assert "POST" in api["AllowedMethods"]
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert "OrderFunctionUrl" in str(origins[api["TargetOriginId"]]["DomainName"])
    search = behaviours[patterns.index("/api/search*")]
    assert search["CachePolicyId"] == CACHING_DISABLED
    assert "SearchFunctionUrl" in str(origins[search["TargetOriginId"]]["DomainName"])


def test_functions_only_answer_cloudfront(template, resources):
    """CloudFront sends the origin secret to both function origins; both
    functions get it to compare; the parameter is never echoed."""
    assert template["Parameters"]["OriginVerifySecret"]["NoEcho"] is True
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    for origin, function in (("order", "OrderFunction"), ("search", "SearchFunction")):
        assert origins[origin]["OriginCustomHeaders"] == [
            {"HeaderName": "X-Warung-Origin", "HeaderValue": {"Ref": "OriginVerifySecret"}}]
        env = resources[function]["Properties"]["Environment"]["Variables"]
        assert env["ORIGIN_SECRET"] == {"Ref": "OriginVerifySecret"}
    assert "OriginCustomHeaders" not in origins["site"]


def test_the_sweeper_runs_every_five_minutes(resources):
    sweeper = resources["SweeperFunction"]["Properties"]
    [event] = sweeper["Events"].values()
    assert event == {"Type": "Schedule", "Properties": {"Schedule": "rate(5 minutes)"}}
    actions = {a for s in _statements(resources, "SweeperRole") if s["Sid"] != "Logs"
               for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert actions == {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem",
                       "dynamodb:DeleteItem", "sqs:SendMessage"}
    [query] = [s for s in _statements(resources, "SweeperRole") if s["Action"] == "dynamodb:Query"]
    assert query["Resource"] == {"Fn::Sub": "${OrdersTable.Arn}/index/outbox"}


def test_buckets_are_private(resources):
    for name in ("SiteBucket", "CatalogBucket"):
        block = resources[name]["Properties"]["PublicAccessBlockConfiguration"]
        assert all(block[key] is True for key in ("BlockPublicAcls", "BlockPublicPolicy",
                                                  "IgnorePublicAcls", "RestrictPublicBuckets"))
    statements = resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    for statement in statements:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert "AWS:SourceArn" in statement["Condition"]["StringEquals"]


def _statements(resources, role):
    [policy] = resources[role]["Properties"]["Policies"]
    return policy["PolicyDocument"]["Statement"]


def test_least_privilege(resources):
    for role in ("OrderRole", "MailerRole", "SearchRole", "SweeperRole"):
        for statement in _statements(resources, role):
            assert statement["Resource"] != "*", (role, statement)
            actions = statement["Action"] if isinstance(statement["Action"], list) \
                else [statement["Action"]]
            assert not any(a.endswith("*") for a in actions), (role, statement)
    order = {a for s in _statements(resources, "OrderRole") for a in
             (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert not any(a.startswith("ses:") for a in order)
    assert "sqs:SendMessage" in order and "dynamodb:Scan" not in order
    mailer = {a for s in _statements(resources, "MailerRole") for a in
              (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert "sqs:SendMessage" not in mailer  # only the order function and the sweeper queue
    search = [s for s in _statements(resources, "SearchRole") if s["Sid"] != "Logs"]
    assert [s["Action"] for s in search] == ["s3:GetObject"]


def test_ses_only_as_the_sender(resources):
    [ses] = [s for s in _statements(resources, "MailerRole")
             if any(a.startswith("ses:") for a in s["Action"])]
    assert ses["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}
    assert ":identity/" in str(ses["Resource"])


def test_alarms(resources):
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    dlq = [a for a in alarms if a["MetricName"] == "ApproximateNumberOfMessagesVisible"]
    assert dlq and dlq[0]["Threshold"] == 0
    assert dlq[0]["ComparisonOperator"] == "GreaterThanThreshold"
    errors = {a["Dimensions"][0]["Value"]["Ref"] for a in alarms if a["MetricName"] == "Errors"}
    assert errors == {"OrderFunction", "MailerFunction", "SearchFunction", "SweeperFunction"}


def test_outputs_for_publish(template):
    assert set(template["Outputs"]) >= {"DistributionDomainName", "DistributionId",
                                        "SiteBucketName", "CatalogBucketName"}
