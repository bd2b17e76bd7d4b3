"""The figures of `make bench`: each module measures one of them and writes its section of docs/benchmarks.md.

    python -m benchmarks                      # every benchmark at full size (many minutes on 2 cores)
    python -m benchmarks import_xlsx search   # a subset, by module name
    python -m benchmarks --quick              # a smoke run at a small size (figures marked as such)
    python -m benchmarks --scale 0.1          # every size times 0.1
    BENCH_PROFILE=1 python -m benchmarks import_xlsx   # and profile one more import (var/bench/import_xlsx/)

Each measured variant runs in a fresh subprocess, so that its peak memory is its own and Django's settings
read the database that the benchmark prepared for it. Generated inputs are cached under var/bench/.
PostgreSQL: a private server started from /usr/lib/postgresql/*/bin (as the postgres user when run as
root), or the server of --postgres URL / $DATABASE_URL, on which ansinh_bench_* databases are made and dropped.
"""
