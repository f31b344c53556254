"""make inbox STACK=...: the stack's outputs become the functions' settings."""

import json
import os

from backend import clients
from inbox import connect


def test_stack_outputs_become_the_environment(aws, monkeypatch):
    outputs = {"OrdersTableName": "t-orders", "MailQueueUrl": "https://q.example/1",
               "InboxBucketName": "t-inbox", "SiteUrl": "https://warung.example",
               "MailFrom": "pesanan@warung.example", "DistributionId": "E123"}
    template = {"Resources": {"Nothing": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {k: {"Value": v} for k, v in outputs.items()}}
    cfn = clients._session().client("cloudformation")
    cfn.create_stack(StackName="warung-test", TemplateBody=json.dumps(template))
    for key in connect.OUTPUTS.values():
        monkeypatch.delenv(key, raising=False)
    env = connect.stack("warung-test")
    assert env == {"ORDERS_TABLE": "t-orders", "MAIL_QUEUE_URL": "https://q.example/1",
                   "INBOX_BUCKET": "t-inbox", "SITE_URL": "https://warung.example",
                   "MAIL_FROM": "pesanan@warung.example"}
    assert os.environ["INBOX_BUCKET"] == "t-inbox"
