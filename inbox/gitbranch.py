"""Commit files on a new branch without touching the user's checkout.

Git's plumbing with a temporary index (``GIT_INDEX_FILE``): read the tree of
``HEAD``, add the new blobs, remove the removed paths, write the tree and a
commit whose parent is ``HEAD``, and create ``refs/heads/<branch>`` only if
it does not exist. The working tree, the real index and the current branch
stay exactly as they were.
"""

import os
import subprocess
import tempfile


class BranchExists(RuntimeError):
    pass


def _git(repo, *args, env=None, data: bytes | None = None) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True,
                            env={**os.environ, **(env or {})}, check=True)
    return result.stdout.decode().strip()


def branch_exists(repo, branch: str) -> bool:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                           f"refs/heads/{branch}"], capture_output=True).returncode == 0


def commit(repo, branch: str, files: dict, removed: list, message: str) -> str:
    """Commit ``files`` (repo path -> bytes) and ``removed`` on new ``branch``; its hash."""
    if branch_exists(repo, branch):
        raise BranchExists(branch)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": os.path.join(tmp, "index")}
        _git(repo, "read-tree", "HEAD", env=env)
        for path, data in sorted(files.items()):
            blob = _git(repo, "hash-object", "-w", "--stdin", data=data)
            _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        for path in removed:
            _git(repo, "update-index", "--force-remove", path, env=env)
        tree = _git(repo, "write-tree", env=env)
    head = _git(repo, "rev-parse", "HEAD")
    sha = _git(repo, "commit-tree", tree, "-p", head, "-F", "-", data=message.encode())
    _git(repo, "update-ref", f"refs/heads/{branch}", sha, "0" * 40)
    return sha
