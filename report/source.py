"""Where the orders are, and reading them page by page.

- No settings: the running ``make serve`` (``GET /_dev/aws.json`` on
  ``http://127.0.0.1:$PORT/`` names its emulated DynamoDB and table).
- ``STACK=<name>``: the stack's ``OrdersTable`` in the account of the
  current AWS credentials (CloudFormation ``DescribeStackResource``).

``orders(db, table)`` scans the table one page at a time (``Limit`` items,
then ``ExclusiveStartKey``), keeping only ``ORDER#`` items, and yields them;
the whole table is never in memory. A regency with several hundred
thousand orders is better served by DynamoDB's export to S3 + Athena
(docs/LAPORAN.md).
"""

import json
import urllib.request
from dataclasses import dataclass

PAGE = 500


@dataclass(frozen=True)
class Source:
    table: str
    endpoint: str | None = None  # None: real AWS
    region: str | None = None


def local(port: int = 8000, host: str = "127.0.0.1") -> Source:
    url = f"http://{host}:{port}/_dev/aws.json"
    with urllib.request.urlopen(url, timeout=10) as response:  # the local run only
        data = json.load(response)
    env = data["env"]
    return Source(table=env["ORDERS_TABLE"], endpoint=data["endpoint"], region=env["AWS_REGION"])


def stack(name: str) -> Source:
    import boto3

    found = boto3.client("cloudformation").describe_stack_resource(
        StackName=name, LogicalResourceId="OrdersTable")
    return Source(table=found["StackResourceDetail"]["PhysicalResourceId"])


def client(source: Source):
    import boto3

    if source.endpoint is None:
        return boto3.client("dynamodb")
    return boto3.client("dynamodb", endpoint_url=source.endpoint,
                        region_name=source.region or "ap-southeast-3",
                        aws_access_key_id="local", aws_secret_access_key="local")


def orders(db, table: str, page_size: int = PAGE, pages: list | None = None):
    """Every ORDER# item, as plain dicts, one Scan page at a time.
    ``pages`` (a list) collects each page's item count."""
    from backend.store import from_item

    kwargs = {"TableName": table, "Limit": page_size,
              "FilterExpression": "begins_with(pk, :p)",
              "ExpressionAttributeValues": {":p": {"S": "ORDER#"}}}
    while True:
        page = db.scan(**kwargs)
        if pages is not None:
            pages.append(page.get("ScannedCount", 0))
        for item in page.get("Items", []):
            yield from_item(item)
        if not page.get("LastEvaluatedKey"):
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
