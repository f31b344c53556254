"""``GET /_dev/aws.json`` in the local run only: where its emulated AWS is,
so ``make laporan`` (and other staff tools) find the running ``make serve``
with no settings. Answers 404 unless the functions talk to a local
endpoint (``AWS_ENDPOINT_URL`` on 127.0.0.1): never anything in AWS.
"""

import json
import os


def handler(event, context=None) -> dict:
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if not endpoint.startswith(("http://127.0.0.1:", "http://localhost:")):
        return {"statusCode": 404, "headers": {"content-type": "text/plain"}, "body": ""}
    data = {"endpoint": endpoint, "orders_table": os.environ.get("ORDERS_TABLE", ""),
            "region": os.environ.get("AWS_REGION", "ap-southeast-3")}
    return {"statusCode": 200, "headers": {"content-type": "application/json",
                                           "cache-control": "no-store"},
            "body": json.dumps(data)}
