#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A malformed environment variable: say which, without a traceback.
        sys.stderr.write(f"Fel i inställningarna: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
