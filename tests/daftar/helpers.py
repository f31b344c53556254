"""Helpers of the seller form's end-to-end tests: a real phone photo, a
throwaway git repository holding the sample content, the staff commands."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def phone_jpeg(path: Path) -> Path:
    """A 12 MP (4000x3000) JPEG of ~5 MB carrying GPS coordinates in its EXIF."""
    from PIL import ExifTags, Image

    noise = Image.effect_noise((4000, 3000), 40)
    ramp = Image.linear_gradient("L").resize((4000, 3000))
    image = Image.merge("RGB", (noise, ramp, noise))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2], gps[3], gps[4] = "S", (6.0, 33.0, 12.0), "E", (107.0, 26.0, 3.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


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
