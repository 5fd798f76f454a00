"""Start-up hook of the oracle (test/oracle/native_vclock.py): installs the virtual clock, then
restores sys.path and PYTHONPATH so that the program sees what `python3 PROGRAM.py` would."""
import os
import sys

_hook_dir = os.path.dirname(os.path.abspath(__file__))
_oracle_dir = os.path.dirname(_hook_dir)
sys.path.insert(0, _oracle_dir)
try:
    import native_vclock
finally:
    sys.path.remove(_oracle_dir)
    if _hook_dir in sys.path:
        sys.path.remove(_hook_dir)
    saved = os.environ.pop(native_vclock.HOOK_PATH_ENV, native_vclock.UNSET)
    if saved == native_vclock.UNSET:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = saved
    del saved
native_vclock.install()
del _hook_dir, _oracle_dir
