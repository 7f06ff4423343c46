"""deploy/: the Dockerfile, compose.yaml and the Kubernetes manifests say what deploy/README.md
says they do (parsed, not run: deploy/try-image.sh builds and starts the image)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent


def app_env_vars() -> set[str]:
    """Every variable bot/config.py reads."""
    found = set(re.findall(r'_get\(env, "([A-Z_]+)"\)', (ROOT / "bot" / "config.py").read_text()))
    assert {"SLACK_BOT_TOKEN", "DATABASE_URL", "PORT"} <= found
    return found


# -- Dockerfile ----------------------------------------------------------------------------
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_dockerfile_builds_a_wheel_then_a_slim_non_root_runtime() -> None:
    steps = dockerfile()
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) >= 2 and stages[0].endswith(" AS build"), stages
    assert ("ARG", "PYTHON_IMAGE=python:3.11-slim") in steps
    assert all(s.startswith("${PYTHON_IMAGE}") for s in stages), "both stages on the same slim image"
    runtime = steps[[i for i, (op, _) in enumerate(steps) if op == "FROM"][-1]:]
    build = steps[:len(steps) - len(runtime)]
    assert any(op == "RUN" and "pip wheel" in args for op, args in build)
    assert any(op == "COPY" and args.startswith("--from=build") for op, args in runtime)
    assert not any(op == "COPY" and "bot" in args.split() for op, args in runtime), "no sources at run time"

    [user] = [args for op, args in runtime if op == "USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "numeric and not root, so runAsNonRoot can check it"
    [health] = [args for op, args in runtime if op == "HEALTHCHECK"]
    assert "/healthz" in health and "urllib.request" in health and "curl" not in health
    assert ("CMD", '["mutual", "run"]') in runtime
    assert ("EXPOSE", "3000") in runtime


def test_dockerignore_lets_in_only_what_the_image_is_built_from() -> None:
    rules = [r for r in (ROOT / ".dockerignore").read_text().splitlines() if r and not r.startswith("#")]
    assert rules[0] == "*"
    assert {r[1:].rstrip("/") for r in rules if r.startswith("!")} == {"pyproject.toml", "README.md", "bot"}
    copied = {w for op, args in dockerfile() if op == "COPY" and "--from" not in args for w in args.split()[:-1]}
    assert copied == {"pyproject.toml", "README.md", "bot"}


# -- compose.yaml --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command", ["mutual", "run"])  # the image's CMD
    return shlex.split(command) if isinstance(command, str) else command


def test_compose_runs_postgres_a_migration_two_replicas_and_a_proxy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    db = services["db"]
    assert db["image"].startswith("postgres:") and "pg_isready" in " ".join(db["healthcheck"]["test"])

    migrate = services["migrate"]
    assert command_of(migrate) == ["mutual", "db", "upgrade"] and migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"

    replicas = {name: s for name, s in services.items() if command_of(s) == ["mutual", "run"]
                and "build" in s}
    assert len(replicas) == 2, sorted(replicas)
    for service in [migrate, *replicas.values()]:
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert service["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@db:5432/" in service["environment"]["DATABASE_URL"]
    for replica in replicas.values():
        assert replica["depends_on"]["migrate"]["condition"] == "service_completed_successfully"

    proxy = services["proxy"]
    assert proxy["ports"] == ["3000:3000"]
    assert {name for name, dep in proxy["depends_on"].items()
            if dep["condition"] == "service_healthy"} == set(replicas)
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    [upstreams] = re.findall(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert set(upstreams.split()) == {f"{name}:3000" for name in replicas}
    assert "health_uri /healthz" in caddyfile
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


# -- Kubernetes ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def k8s() -> dict[str, dict[str, Any]]:
    docs = [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in yaml.safe_load_all(path.read_text()) if doc]
    by_kind = {doc["kind"]: doc for doc in docs}
    assert len(by_kind) == len(docs), "one object of each kind"
    return by_kind


def pod_is_locked_down(pod: dict[str, Any]) -> None:
    security = pod["securityContext"]
    assert security["runAsNonRoot"] is True and security["runAsUser"] != 0
    for container in pod["containers"]:
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
        assert container["envFrom"] == [{"secretRef": {"name": "mutual-env"}}]


def test_deployment_two_replicas_probed_on_healthz_and_not_root(k8s: dict[str, dict[str, Any]]) -> None:
    deployment = k8s["Deployment"]
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]["spec"]
    pod_is_locked_down(pod)
    [container] = pod["containers"]
    assert container["command"] == ["mutual", "run"]
    [port] = container["ports"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert port["containerPort"] == int(env["PORT"])
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": port["name"]}, probe
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()

    service = k8s["Service"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]
    pdb = k8s["PodDisruptionBudget"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert 0 < pdb["spec"]["minAvailable"] < deployment["spec"]["replicas"]


def test_migration_job_runs_db_upgrade(k8s: dict[str, dict[str, Any]]) -> None:
    job = k8s["Job"]
    pod = job["spec"]["template"]["spec"]
    pod_is_locked_down(pod)
    [container] = pod["containers"]
    assert container["command"] == ["mutual", "db", "upgrade"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    service_labels = k8s["Service"]["spec"]["selector"]
    assert not service_labels.items() <= job["spec"]["template"]["metadata"]["labels"].items(), \
        "a migration pod must not receive Slack's requests"


def test_secret_and_deployment_set_exactly_the_variables_the_app_reads(k8s: dict[str, dict[str, Any]]) -> None:
    secret = set(k8s["Secret"]["stringData"])
    [container] = k8s["Deployment"]["spec"]["template"]["spec"]["containers"]
    plain = {e["name"] for e in container["env"]}
    assert secret <= app_env_vars(), secret - app_env_vars()
    assert not secret & plain
    assert secret | plain == app_env_vars(), app_env_vars() - secret - plain


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    manifests = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests


def test_systemd_unit_runs_mutual_as_its_own_user() -> None:
    unit = dict(line.split("=", 1) for line in (DEPLOY / "mutual.service").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    assert unit["ExecStart"].endswith("/bin/mutual run")
    assert unit["User"] not in ("root", "0") and unit["KillSignal"] == "SIGTERM"
