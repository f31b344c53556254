"""Fixtures for the functions' tests: moto's server over HTTP as AWS.

- ``moto_endpoint`` (session): moto's server as the local run has it, on a free 127.0.0.1
  port, with the process environment pointing boto3 at it (dummy
  credentials, region, ``ALLOWED_ORIGINS``, ``MAIL_FROM``, ``SITE_URL``,
  ``SELLER_EMAILS_PER_HOUR``).
- ``test_catalog`` (session): a small private catalog (ARCHITECTURE.md shape),
  written once to a temp file: ``test_catalog.path``, ``test_catalog.data``.
- ``aws`` (per test): resets moto, creates the resources with
  ``local.resources.create_resources``, sets their env vars, clears the
  backend caches. Helpers: ``aws.items()``, ``aws.item(pk)``,
  ``aws.jobs()``, ``aws.queue_counts()``, ``aws.upload_catalog(data, tmp_path)``.
- ``events``: builders of Lambda Function URL (payload 2.0) events:
  ``events.form(fields)``, ``events.json(data)``, ``events.get(path, query)``.
- ``valid_order``: a valid order (dict of form fields) for the test catalog.
- ``place_order``: posts an order through the real order handler and
  returns ``(response, body)``.

Every test that uses these talks to AWS only through HTTP to 127.0.0.1.
"""

import copy
import json
import os
import threading
import urllib.request
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

REGION = "ap-southeast-3"
SITE_URL = "https://warung.example"
ALLOWED_ORIGINS = f"{SITE_URL},http://127.0.0.1:8000,http://localhost:8000"
MAIL_FROM = "pesanan@warung.example"
SOURCE_IP = "203.0.113.7"

# The private catalog the functions' tests run on. Three shops that differ in
# payment, delivery and fees; products with and without variants; one sold
# out (habis) and one pre-order (po).
TEST_CATALOG = {
    "build": "test0build01",
    "site": {"name": "Warung Online Purwakarta", "url": SITE_URL},
    "shops": {
        "kopi-wanayasa": {
            "id": "kopi-wanayasa", "title": "Kopi Wanayasa", "url": "/toko/kopi-wanayasa/",
            "kecamatan": "Wanayasa", "address": "Jl. Raya Wanayasa No. 5",
            "whatsapp": "6281234567890", "email": "kopi@wanayasa.example",
            "payment": ["cod", "transfer"], "delivery": ["ambil", "antar"],
            "delivery_fee": {"default": 15000, "kecamatan": {"Wanayasa": 5000}},
            "permits": {"nib": "1234567890123"},
        },
        "batik-plered": {
            "id": "batik-plered", "title": "Batik & Gerabah Plered", "url": "/toko/batik-plered/",
            "kecamatan": "Plered", "address": "Pasar Plered",
            "whatsapp": "6281398765432", "email": "batik@plered.example",
            "payment": ["cod", "transfer", "qris"], "delivery": ["ambil", "antar"],
            "delivery_fee": None,
            "permits": {},
        },
        "sayur-maniis": {
            "id": "sayur-maniis", "title": "Sayur Maniis", "url": "/toko/sayur-maniis/",
            "kecamatan": "Maniis", "address": "Kp. Citamiang",
            "whatsapp": "6285712345678", "email": "sayur@maniis.example",
            "payment": ["cod"], "delivery": ["ambil"],
            "delivery_fee": None,
            "permits": {},
        },
    },
    "products": [
        {"id": "kopi-wanayasa/arabika", "shop": "kopi-wanayasa", "title": "Kopi Arabika",
         "url": "/toko/kopi-wanayasa/arabika/", "price": 45000, "unit": "bungkus 250 g",
         "category": "Minuman", "category_url": "/kategori/minuman/", "stock": "tersedia",
         "variants": [{"name": "250 g", "price": 45000}, {"name": "500 g", "price": 85000}],
         "tags": ["kopi"], "image": "/gambar/kopi-wanayasa/arabika-320.jpg"},
        {"id": "kopi-wanayasa/robusta", "shop": "kopi-wanayasa", "title": "Kopi Robusta",
         "url": "/toko/kopi-wanayasa/robusta/", "price": 30000, "unit": "bungkus 250 g",
         "category": "Minuman", "category_url": "/kategori/minuman/", "stock": "tersedia",
         "variants": [], "tags": ["kopi"], "image": "/gambar/kopi-wanayasa/robusta-320.jpg"},
        {"id": "kopi-wanayasa/luwak", "shop": "kopi-wanayasa", "title": "Kopi Luwak",
         "url": "/toko/kopi-wanayasa/luwak/", "price": 150000, "unit": "bungkus 100 g",
         "category": "Minuman", "category_url": "/kategori/minuman/", "stock": "habis",
         "variants": [], "tags": ["kopi"], "image": "/gambar/kopi-wanayasa/luwak-320.jpg"},
        {"id": "batik-plered/kain-batik", "shop": "batik-plered", "title": "Kain Batik Tulis",
         "url": "/toko/batik-plered/kain-batik/", "price": 250000, "unit": "lembar 2 m",
         "category": "Fashion", "category_url": "/kategori/fashion/", "stock": "tersedia",
         "variants": [], "tags": ["batik"], "image": "/gambar/batik-plered/kain-batik-320.jpg"},
        {"id": "batik-plered/pot-gerabah", "shop": "batik-plered", "title": "Pot Gerabah",
         "url": "/toko/batik-plered/pot-gerabah/", "price": 75000, "unit": "buah",
         "category": "Kerajinan", "category_url": "/kategori/kerajinan/", "stock": "po",
         "variants": [{"name": "Kecil", "price": 75000}, {"name": "Besar", "price": 120000}],
         "tags": ["gerabah"], "image": "/gambar/batik-plered/pot-gerabah-320.jpg"},
        {"id": "sayur-maniis/pisang", "shop": "sayur-maniis", "title": "Pisang Ambon",
         "url": "/toko/sayur-maniis/pisang/", "price": 20000, "unit": "sisir",
         "category": "Pertanian", "category_url": "/kategori/pertanian/", "stock": "tersedia",
         "variants": [], "tags": ["buah"], "image": "/gambar/sayur-maniis/pisang-320.jpg"},
    ],
}

# A valid order for TEST_CATALOG: two shops, cod, delivered to Wanayasa.
VALID_ORDER = {
    "item": ["kopi-wanayasa/arabika:500 g", "batik-plered/kain-batik"],
    "qty": ["2", "1"],
    "name": "Siti Aminah",
    "phone": "0813-1111-2222",
    "kecamatan": "Wanayasa",
    "desa": "Sukadami",
    "address": "Kp. Babakan RT 02/03, dekat masjid",
    "delivery": "antar",
    "payment": "cod",
    "note": "Tolong telepon dulu",
    "email": "",
    "key": "",
    "build": "test0build01",
    "website": "",
}


BASE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "ALLOWED_ORIGINS": ALLOWED_ORIGINS,
    "MAIL_FROM": MAIL_FROM,
    "SITE_URL": SITE_URL,
    "SELLER_EMAILS_PER_HOUR": "20",
}


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's server on a free port, as the local run has it (requests take
    turns: moto's DynamoDB transactions are not isolated from each other,
    real AWS's are), in a thread of this process so tests can look into
    moto's backends; the environment points boto3 at it."""
    from local import aws_process

    saved = {key: os.environ.get(key) for key in [*BASE_ENV, "AWS_ENDPOINT_URL",
                                                  "AWS_PROFILE", "AWS_CONFIG_FILE",
                                                  "AWS_SHARED_CREDENTIALS_FILE"]}
    server = aws_process.build_server()
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    os.environ.update(BASE_ENV, AWS_ENDPOINT_URL=endpoint)
    # Never read a developer's real AWS profile.
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ.pop("AWS_PROFILE", None)
    try:
        yield endpoint
    finally:
        server.shutdown()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        from backend import clients

        clients.reset()


@pytest.fixture(scope="session")
def test_catalog(tmp_path_factory):
    """The test private catalog written to a temp file (.path, .data)."""
    path = tmp_path_factory.mktemp("catalog") / "katalog.json"
    path.write_text(json.dumps(TEST_CATALOG, ensure_ascii=False), encoding="utf-8")
    return SimpleNamespace(path=path, data=copy.deepcopy(TEST_CATALOG))


def _plain(value):
    """DynamoDB values as plain Python: Decimal -> int (or float), sets -> sorted lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    return value


class AwsState:
    """The resources of one test, with helpers to look inside them."""

    def __init__(self, endpoint: str, env: dict, catalog_path: Path):
        self.endpoint = endpoint
        self.env = env
        self.catalog_path = catalog_path

    # DynamoDB
    def items(self, prefix: str | None = None) -> list[dict]:
        """Every item of the orders table (plain Python), optionally by pk prefix."""
        from boto3.dynamodb.types import TypeDeserializer

        from backend import clients

        des = TypeDeserializer()
        paginator = clients.dynamodb().get_paginator("scan")
        found = []
        for page in paginator.paginate(TableName=self.env["ORDERS_TABLE"], ConsistentRead=True):
            for raw in page["Items"]:
                found.append(_plain({k: des.deserialize(v) for k, v in raw.items()}))
        if prefix:
            found = [item for item in found if item["pk"].startswith(prefix)]
        return sorted(found, key=lambda item: item["pk"])

    def item(self, pk: str) -> dict | None:
        from boto3.dynamodb.types import TypeDeserializer

        from backend import clients

        raw = clients.dynamodb().get_item(
            TableName=self.env["ORDERS_TABLE"], Key={"pk": {"S": pk}}, ConsistentRead=True
        ).get("Item")
        if raw is None:
            return None
        des = TypeDeserializer()
        return _plain({k: des.deserialize(v) for k, v in raw.items()})

    # SQS
    def jobs(self, delete: bool = True, queue_url: str | None = None) -> list[dict]:
        """Every visible job on the mail queue, parsed; deleted unless ``delete=False``.

        Delayed messages (digests, DelaySeconds) are not visible: see
        ``queue_counts()["delayed"]``.
        """
        from backend import clients

        sqs = clients.sqs()
        url = queue_url or self.env["MAIL_QUEUE_URL"]
        found = []
        while True:
            got = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                VisibilityTimeout=0 if not delete else 30,
                AttributeNames=["All"], MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not got:
                break
            for message in got:
                found.append(json.loads(message["Body"]))
                if delete:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if not delete:
                break  # without deleting, the same messages would come back
        return found

    def queue_counts(self, queue_url: str | None = None) -> dict:
        from backend import clients

        attributes = clients.sqs().get_queue_attributes(
            QueueUrl=queue_url or self.env["MAIL_QUEUE_URL"],
            AttributeNames=["ApproximateNumberOfMessages",
                            "ApproximateNumberOfMessagesNotVisible",
                            "ApproximateNumberOfMessagesDelayed"],
        )["Attributes"]
        return {
            "visible": int(attributes["ApproximateNumberOfMessages"]),
            "in_flight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            "delayed": int(attributes["ApproximateNumberOfMessagesDelayed"]),
        }

    # S3
    def upload_catalog(self, data: dict, tmp_dir: Path) -> None:
        """Replace the private catalog in S3 and drop the warm cache."""
        from backend import catalog
        from local.resources import upload_catalog

        path = Path(tmp_dir) / "katalog-override.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        upload_catalog(path, self.env["CATALOG_BUCKET"], self.env["CATALOG_KEY"])
        catalog.reset()


def _reset_moto(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:  # 127.0.0.1 only
        response.read()


def _clear_backend_caches() -> None:
    """Forget every function's warm state (catalog, clients, indexes, routes)."""
    from backend import warm

    warm.reset()


@pytest.fixture
def aws(moto_endpoint, test_catalog, monkeypatch):
    """Fresh AWS state for one test: resources created, env set, caches cleared."""
    from local.resources import create_resources

    _reset_moto(moto_endpoint)
    _clear_backend_caches()
    env = create_resources(test_catalog.path, mail_from=MAIL_FROM, visibility_timeout=2)
    for key, value in {**BASE_ENV, **env}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    yield AwsState(moto_endpoint, env, test_catalog.path)
    _clear_backend_caches()


class Events:
    """Builders of Lambda Function URL (payload 2.0) events."""

    @staticmethod
    def raw(method: str = "GET", path: str = "/", *, body: str | bytes | None = None,
            headers: dict | None = None, query: dict | None = None,
            source_ip: str = SOURCE_IP, base64_body: bool = False) -> dict:
        from local.lambda_events import function_url_event

        target = f"{path}?{urlencode(query)}" if query else path
        all_headers = {"host": "warung.example", "user-agent": "pytest", **(headers or {})}
        data = body.encode("utf-8") if isinstance(body, str) else body
        return function_url_event(method, target, all_headers.items(), data, source_ip,
                                  scheme="https", encode_body=base64_body)

    @classmethod
    def form(cls, fields: dict, *, origin: str | None = SITE_URL, path: str = "/api/order",
             headers: dict | None = None, **kwargs) -> dict:
        """A urlencoded form post; list values repeat the field (item, qty)."""
        pairs = []
        for key, value in fields.items():
            for one in (value if isinstance(value, (list, tuple)) else [value]):
                pairs.append((key, "" if one is None else str(one)))
        all_headers = {"content-type": "application/x-www-form-urlencoded"}
        if origin is not None:
            all_headers["origin"] = origin
        all_headers.update(headers or {})
        return cls.raw("POST", path, body=urlencode(pairs), headers=all_headers, **kwargs)

    @classmethod
    def json(cls, data, *, origin: str | None = SITE_URL, path: str = "/api/order",
             headers: dict | None = None, **kwargs) -> dict:
        all_headers = {"content-type": "application/json", "accept": "application/json"}
        if origin is not None:
            all_headers["origin"] = origin
        all_headers.update(headers or {})
        body = data if isinstance(data, (str, bytes)) else json.dumps(data, ensure_ascii=False)
        return cls.raw("POST", path, body=body, headers=all_headers, **kwargs)

    @classmethod
    def get(cls, path: str, query: dict | None = None, **kwargs) -> dict:
        return cls.raw("GET", path, query=query, **kwargs)


@pytest.fixture
def events():
    return Events


@pytest.fixture
def valid_order():
    """A fresh copy of a valid two-shop order (form field names)."""
    return copy.deepcopy(VALID_ORDER)


def as_json_order(fields: dict) -> dict:
    """Form fields -> the cart's JSON body (qty as integers)."""
    data = dict(fields)
    data["qty"] = [int(q) for q in data["qty"]]
    return data


@pytest.fixture
def place_order(aws, events):
    """Place an order through the real order handler (JSON); returns (response, body).

    ``place_order()`` uses VALID_ORDER; pass overrides as keyword arguments.
    """
    def place(**overrides):
        from order.handler import handler

        fields = {**copy.deepcopy(VALID_ORDER), **overrides}
        response = handler(events.json(as_json_order(fields)), None)
        body = response.get("body") or ""
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = body
        return response, parsed

    return place
