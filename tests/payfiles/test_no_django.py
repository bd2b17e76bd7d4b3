from __future__ import annotations

import subprocess
import sys


def test_payfiles_imports_without_django() -> None:
    code = (
        "import sys\n"
        "import ansinh.payfiles.lists, ansinh.payfiles.pain001, ansinh.payfiles.results, ansinh.payfiles.templates\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
