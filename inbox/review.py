"""What the staff commands do, over the functions' own storage modules
(``daftar.records``, ``daftar.mail``) so the inbox reads what the form wrote."""

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from backend import mailqueue, store
from warung.text import texts

from daftar import check, fields, mail, records
from inbox import apply, gitbranch


class NotFound(KeyError):
    pass


def _t(key: str, **values) -> str:
    text = texts()["daftar_petugas"][key]
    return text.format(**values) if values else text


def _record(ref: str) -> dict:
    record = records.get(ref)
    if record is None:
        raise NotFound(ref)
    return record


def _result(record: dict, data: dict) -> str:
    """The rules' verdict now (they may have changed since the submission); an
    update was checked against the catalog it changes when it was sent."""
    if record["kind"] != "daftar":
        count = int(record.get("problems") or 0)
        return _t("lolos") if not count else _t("masalah", count=count)
    submission = fields.Submission(shop=data.get("shop") or {},
                                   products=data.get("products") or [])
    errors = check.check(submission)
    return _t("lolos") if not errors else _t("masalah", count=len(errors))


def pending() -> list[dict]:
    rows = []
    for record in records.all_records():
        if record.get("status") != "menunggu":
            continue
        kind = _t("baru") if record["kind"] == "daftar" else (
            _t("ubah_cepat") if record.get("quick") else _t("ubah"))
        rows.append({"ref": record["ref"], "date": record["created_at"][:16].replace("T", " "),
                     "shop": record.get("shop_title", "")[:28], "kind": kind,
                     "result": _result(record, records.get_json(record["ref"]))})
    return rows


def show(ref: str, save_dir: Path) -> str:
    record, data = _record(ref), records.get_json(ref)
    folder = save_dir / ref
    folder.mkdir(parents=True, exist_ok=True)
    keys = [k for p in data.get("products") or [] for k in p.get("photos") or []]
    keys += [data["shop"]["logo"]] if (data.get("shop") or {}).get("logo") else []
    for key in keys:
        (folder / key.rsplit("/", 1)[-1]).write_bytes(records.photo_bytes(key))
    (folder / "kiriman.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    head = f"{ref}  {record['status']}  {record['created_at']}  {record['kind']}"
    return "\n".join([head, json.dumps(data, ensure_ascii=False, indent=1),
                      _t("foto_disimpan", path=folder)])


def _existing_shops(repo: Path) -> set[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", "HEAD",
                          "content/shops/"], capture_output=True, text=True, check=True).stdout
    return {line.rsplit("/", 1)[-1] for line in out.split()}


def _shop_files(repo: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD",
                          "content/shops/"], capture_output=True, text=True, check=True).stdout
    return [line[len("content/shops/"):] for line in out.splitlines()]


def _head_file(repo: Path, path: str) -> str | None:
    found = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"],
                           capture_output=True)
    return found.stdout.decode("utf-8") if found.returncode == 0 else None


def _check(repo: Path, files: dict, removed: list) -> tuple[bool, str]:
    """``make check`` on HEAD's content with the plan applied, in a temporary folder."""
    archive = subprocess.run(["git", "-C", str(repo), "archive", "HEAD", "content"],
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(tmp, filter="data")
        for path in removed:
            (Path(tmp) / path).unlink(missing_ok=True)
        for path, data in files.items():
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "warung_catalog.check",
                               str(Path(tmp) / "content"), "--settings",
                               str(repo / "pelicanconf.py")], capture_output=True, text=True)
    return done.returncode == 0, (done.stdout + done.stderr).replace(tmp + "/", "")


def accept(ref: str, repo: Path) -> tuple[bool, str]:
    record = _record(ref)
    if record["status"] != "menunggu":
        return False, _t("sudah", ref=ref, status=record["status"])
    branch = f"penjual/{ref}"
    if gitbranch.branch_exists(repo, branch):
        return False, _t("cabang_ada", branch=branch)
    data = records.get_json(ref)
    if record["kind"] == "daftar":
        plan = apply.new_shop(data, _existing_shops(repo), records.photo_bytes)
    else:
        plan = apply.update(data, lambda p: _head_file(repo, f"content/shops/{p}"),
                            records.photo_bytes, _shop_files(repo))
    files = {f"content/shops/{path}": blob for path, blob in plan.files.items()}
    removed = [f"content/shops/{path}" for path in plan.removed]
    ok, report = _check(repo, files, removed)
    if not ok:
        return False, _t("periksa_gagal") + "\n" + report
    message = _t("pesan_commit", ref=ref, title=record.get("shop_title", "")) + "\n\n" + \
        "\n".join(f"- {line}" for line in plan.summary) + "\n"
    sha = gitbranch.commit(repo, branch, files, removed, message)
    try:
        records.decide(ref, "diterima", "", [], [], store.now_iso())
    except records.AlreadyDecided as decided:  # decided by someone else meanwhile
        return False, _t("sudah", ref=ref, status=decided.status)
    return True, "\n".join([_t("diterima", ref=ref, count=len(files) + len(removed),
                                slug=plan.slug, sha=sha[:10], branch=branch),
                             _t("langkah", branch=branch)])


def decline(ref: str, reason: str) -> tuple[bool, str]:
    """Decline a waiting submission; one already decided stays as it is (no
    second email, an accepted shop is not overturned)."""
    import os

    record = _record(ref)
    if record["status"] != "menunggu":
        return False, _t("sudah", ref=ref, status=record["status"])
    reason = apply.frontmatter.fold(reason)[:500]
    now = store.now_iso()
    items, jobs = mail.declined_mail(record, reason, os.environ.get("SITE_URL", ""), now)
    try:
        records.decide(ref, "ditolak", reason, items, jobs, now)
    except records.AlreadyDecided as decided:  # decided meanwhile: nothing written
        return False, _t("sudah", ref=ref, status=decided.status)
    records.tag_declined(ref)
    if jobs:
        mailqueue.enqueue(f"{ref}-ditolak", jobs)
    return True, _t("ditolak", ref=ref)
