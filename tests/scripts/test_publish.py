"""scripts/publish.py against moto's S3, CloudFront and CloudFormation over HTTP."""

import json
import sys
from pathlib import Path

import pytest

from backend import clients

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import publish  # noqa: E402

STACK_TEMPLATE = {
    "Resources": {"Site": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "warung-site"}}},
    "Outputs": {
        "SiteBucketName": {"Value": {"Ref": "Site"}},
        "CatalogBucketName": {"Value": "warung-catalog-private"},
        "DistributionId": {"Value": "PLACEHOLDER"},
    },
}


def _client(service: str):
    """A boto3 client for moto (the aws fixture points AWS_ENDPOINT_URL at it)."""
    import boto3

    return boto3.client(service, region_name=clients.region())


@pytest.fixture
def site(tmp_path):
    output = tmp_path / "output"
    for key, text in {"index.html": "<h1>Beranda</h1>", "toko/kopi/index.html": "kopi",
                      "gambar/kopi/a-320.webp": "webp", "theme/css/site.css": "body{}",
                      "katalog.json": "{}", "sitemap.xml": "<urlset/>", ".hidden": "x"}.items():
        path = output / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    private = tmp_path / "private" / "katalog.json"
    private.parent.mkdir()
    private.write_text(json.dumps({"build": "b1", "shops": {}, "products": []}))
    return output, private


@pytest.fixture
def stack(aws, monkeypatch):
    """A stack whose outputs name a moto site bucket and a moto distribution."""
    for name in ("SITE_BUCKET", "DISTRIBUTION_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CATALOG_BUCKET", raising=False)  # come from the stack, too
    cloudfront = _client("cloudfront")
    distribution = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "site",
                                              "DomainName": "warung-site.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    })["Distribution"]["Id"]
    template = json.loads(json.dumps(STACK_TEMPLATE))
    template["Outputs"]["DistributionId"]["Value"] = distribution
    _client("cloudformation").create_stack(
        StackName="warung-test", TemplateBody=json.dumps(template))
    return distribution


def _objects(bucket):
    s3 = clients.s3()
    found = {}
    for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        head = s3.head_object(Bucket=bucket, Key=item["Key"])
        found[item["Key"]] = (head["ContentType"], head.get("CacheControl"))
    return found


def test_cache_control_and_invalidation_paths():
    assert publish.cache_control("index.html") == publish.HTML_CACHE
    assert publish.cache_control("gambar/x/a-320.webp").endswith("immutable")
    assert "max-age=604800" in publish.cache_control("theme/css/site.css")
    assert publish.invalidation_paths(["index.html", "toko/kopi/index.html"]) == [
        "/", "/index.html", "/toko/kopi/", "/toko/kopi/index.html"]
    assert publish.invalidation_paths([f"p{i}.html" for i in range(20)]) == ["/*"]
    assert publish.invalidation_paths([]) == []


def test_publish_from_stack_outputs(stack, site, capsys):
    output, private = site
    assert publish.main(["--output", str(output), "--private", str(private),
                         "--stack", "warung-test"]) == 0
    objects = _objects("warung-site")
    assert objects == {
        "index.html": ("text/html; charset=utf-8", publish.HTML_CACHE),
        "toko/kopi/index.html": ("text/html; charset=utf-8", publish.HTML_CACHE),
        "gambar/kopi/a-320.webp": ("image/webp", publish.IMAGE_CACHE),
        "theme/css/site.css": ("text/css; charset=utf-8", publish.THEME_CACHE),
        "katalog.json": ("application/json; charset=utf-8", publish.DATA_CACHE),
        "sitemap.xml": ("application/xml; charset=utf-8", publish.DATA_CACHE),
    }
    catalog = clients.s3().get_object(Bucket="warung-catalog-private", Key="katalog.json")
    assert json.loads(catalog["Body"].read())["build"] == "b1"
    invalidations = _client("cloudfront").list_invalidations(
        DistributionId=stack)["InvalidationList"]
    assert invalidations["Quantity"] == 1

    # Again after changing one page: only that page is uploaded and invalidated.
    (output / "toko" / "kopi" / "index.html").write_text("kopi baru")
    (output / "sitemap.xml").unlink()
    capsys.readouterr()
    assert publish.main(["--output", str(output), "--private", str(private),
                         "--stack", "warung-test", "--delete"]) == 0
    printed = capsys.readouterr().out
    assert "upload s3://warung-site/toko/kopi/index.html" in printed
    assert "upload s3://warung-site/index.html" not in printed
    assert "delete s3://warung-site/sitemap.xml" in printed
    assert "invalidate" in printed and "/toko/kopi/" in printed
    assert "sitemap.xml" not in _objects("warung-site")


def test_dry_run_changes_nothing(stack, site, capsys, monkeypatch):
    output, private = site
    monkeypatch.setenv("SITE_BUCKET", "warung-site")
    assert publish.main(["--output", str(output), "--private", str(private),
                         "--stack", "warung-test", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "would upload s3://warung-site/index.html" in printed
    assert "would invalidate" in printed
    assert _objects("warung-site") == {}
    # The private catalog is still the one the aws fixture uploaded.
    catalog = clients.s3().get_object(Bucket="warung-catalog-private", Key="katalog.json")
    assert json.loads(catalog["Body"].read())["build"] == "test0build01"


def test_missing_build_is_refused(tmp_path):
    assert publish.main(["--output", str(tmp_path / "nope")]) == 2
