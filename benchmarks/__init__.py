"""The figures of `make bench`: each module measures one of them and writes its section of docs/benchmarks.md.

    python -m benchmarks                      # every benchmark at full size (many minutes on 2 cores)
    python -m benchmarks import_xlsx search   # a subset, by module name
    python -m benchmarks --quick              # a smoke run at a small size (figures marked as such)
    python -m benchmarks --scale 0.1          # every size times 0.1

Each measured variant runs in a fresh subprocess, so that its peak memory is its own and Django's settings
read the database that the benchmark prepared for it. Generated inputs are cached under var/bench/.
"""
