"""Helpers of the seller form's end-to-end tests: a real phone photo, a
throwaway git repository holding the sample content, the staff commands."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from phone_photo import phone_jpeg  # noqa: E402,F401  (the benches' phone photo)


def has_gps(data: bytes) -> bool:
    from PIL import ExifTags, Image

    return bool(Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def content_repo(tmp: Path) -> Path:
    """A git repository whose HEAD holds a copy of the sample content/."""
    repo = tmp / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    git = ["git", "-C", str(repo), "-c", "user.name=Petugas", "-c", "user.email=p@example.id"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sample"], check=True)
    return repo


def staff(server_url: str, *args, repo: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m inbox.cli --url <server> ...`` as ``make inbox`` runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "functions"), str(ROOT / "plugins"), str(ROOT)])
    env.update(GIT_AUTHOR_NAME="Petugas", GIT_AUTHOR_EMAIL="p@example.id",
               GIT_COMMITTER_NAME="Petugas", GIT_COMMITTER_EMAIL="p@example.id")
    command = [sys.executable, "-m", "inbox.cli", "--url", server_url, *args]
    if repo is not None:
        command += ["--repo", str(repo)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                          cwd=repo or ROOT)


def checkout(repo: Path, branch: str) -> None:
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", branch], check=True)


def multipart_body(fields: dict, file_bytes: bytes, file_type: str = "image/jpeg"):
    boundary = "----warungtest"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="foto.jpg"\r\nContent-Type: {file_type}\r\n\r\n'.encode()
                 + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_photo(server, data: bytes, content_type: str = "image/jpeg") -> str:
    """Presign at /api/daftar/foto, then post to the returned URL as a browser would."""
    from tests.fixtures.server import request

    post = server.post_json("/api/daftar/foto", {"type": content_type})
    assert post.status == 200, post.text
    info = post.json()
    body, kind = multipart_body(info["fields"], data, content_type)
    url = info["url"] if info["url"].startswith("http") else server.origin + info["url"]
    sent = request(url, method="POST", data=body, headers={"Content-Type": kind})
    assert sent.status in (201, 204, 303), sent.text
    return info["key"]


def join_form(title: str, keys: list[str], email: str = "penjual@contoh.example") -> dict:
    return {"title": title, "whatsapp": "0813-2222-3333", "email": email,
            "kecamatan": "Plered", "payment": ["cod"], "delivery": ["ambil"],
            "product-1-title": "Gerabah Kecil", "product-1-price": "20.000",
            "product-1-category": "Kerajinan", "product-1-photo": keys, "website": ""}
