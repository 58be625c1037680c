#!/usr/bin/env bash
# Starts the local PostgreSQL for the webhook relay's replica tests and exports their DSN as
# EXTEND_COMPAT_TEST_POSTGRES. Sourced by scripts/test-all.sh; installs PostgreSQL (Debian package) when the
# machine has none. The tests create and drop a database of their own for each run (the role may CREATEDB).
# Run it by hand with: source scripts/postgres.sh
set -euo pipefail

pg_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgres: installing the Debian postgresql package"
  pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
fi
read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters --no-header | head -n 1)
if [ "$pg_status" != "online" ]; then
  pg_sudo pg_ctlcluster "$pg_version" "$pg_cluster" start
fi
for _ in $(seq 1 30); do
  as_postgres "pg_isready -q -p $pg_port" && break
  sleep 1
done
as_postgres "psql -q -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='extend_compat'\" | grep -q 1 ||
  psql -q -p $pg_port -c \"CREATE ROLE extend_compat LOGIN CREATEDB PASSWORD 'extend_compat'\""
as_postgres "psql -q -p $pg_port -tAc \"SELECT 1 FROM pg_database WHERE datname='extend_compat'\" | grep -q 1 ||
  psql -q -p $pg_port -c \"CREATE DATABASE extend_compat OWNER extend_compat\""
export EXTEND_COMPAT_TEST_POSTGRES="postgres://extend_compat:extend_compat@127.0.0.1:${pg_port}/extend_compat?sslmode=disable"
echo "postgres: PostgreSQL $pg_version on port $pg_port; EXTEND_COMPAT_TEST_POSTGRES is set"
