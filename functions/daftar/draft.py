"""The no-JavaScript photo step: a join submission whose text is valid but
has no photos yet is kept as a draft (``draft/<id>.json`` in the inbox
bucket, with the hash of a random token), and a second page offers one
plain HTML form per photo that posts straight to S3 (presigned POST) and
comes back with ``success_action_redirect``; the redirect names the key,
which joins the draft. The last button submits the draft like the form.
"""

import json

from backend import clients, codes

from daftar import photos, records
from daftar.fields import MAX_PHOTOS, Submission

PATH = "/api/daftar/foto"


def _key(draft_id: str) -> str:
    return f"draft/{draft_id}.json"


def url(draft_id: str, token: str) -> str:
    return f"{PATH}/{draft_id}?t={token}"


def save(draft_id: str, token_hash: str, submission: Submission) -> None:
    data = {"token_hash": token_hash, "shop": submission.shop, "products": submission.products}
    clients.s3().put_object(Bucket=records.bucket(), Key=_key(draft_id),
                            Body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
                            ContentType="application/json")


def create(submission: Submission) -> tuple[str, str]:
    """(draft id, token) of a new draft."""
    draft_id, token = photos.secrets.token_urlsafe(12), codes.new_token()
    save(draft_id, codes.hash_token(token), submission)
    return draft_id, token


def load(draft_id: str, token: str | None) -> Submission | None:
    if not draft_id.replace("-", "").replace("_", "").isalnum() or len(draft_id) > 40:
        return None
    s3 = clients.s3()
    try:
        data = json.loads(s3.get_object(Bucket=records.bucket(), Key=_key(draft_id))["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None
    if not codes.token_matches(token, data.get("token_hash")):
        return None
    submission = Submission(shop=data["shop"], products=data["products"])
    submission.token_hash = data["token_hash"]
    return submission


def add_photo(draft_id: str, submission: Submission, n: str, key: str) -> bool:
    """Add an uploaded photo (the redirect's ``key``) to product ``n``; False when refused."""
    if not key.startswith(f"unggah/{draft_id}/"):
        return False
    for product in submission.products:
        if str(product["n"]) == str(n) and len(product["photos"]) < MAX_PHOTOS:
            if key not in product["photos"]:
                product["photos"].append(key)
                save(draft_id, submission.token_hash, submission)
            return True
    return False


def upload_forms(draft_id: str, token: str, submission: Submission, site_url: str) -> list:
    """Per product: (product, [presigned post]) for its free photo slots."""
    forms = []
    for product in submission.products:
        free = MAX_PHOTOS - len(product["photos"])
        redirect = f"{site_url.rstrip('/')}{url(draft_id, token)}&n={product['n']}"
        forms.append((product, [photos.presign_any(draft_id, redirect) for _ in range(min(1, free))]))
    return forms
