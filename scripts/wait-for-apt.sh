# Sourced by setup.sh: wait (bounded) while another apt or dpkg process holds the package manager's locks.
# apt and dpkg lock with fcntl(2), which flock(1) cannot see, so a short Python probe asks the kernel.
#   APT_LOCK_TIMEOUT  seconds to wait at most (default 600)
#   APT_LOCK_FILES    the lock files to watch (default: dpkg's frontend and database locks, apt's lists and cache)

APT_LOCK_FILES=${APT_LOCK_FILES:-"/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock"}

# Prints the first lock file another process holds; prints nothing when all are free (or absent).
apt_lock_holder() {
  ${SUDO:-} python3 - $APT_LOCK_FILES <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(path)
        break
    finally:
        os.close(fd)
PY
}

# Returns once no lock is held; fails with a sentence after APT_LOCK_TIMEOUT seconds.
wait_for_apt_lock() {
  local timeout=${APT_LOCK_TIMEOUT:-600} waited=0 holder
  holder=$(apt_lock_holder)
  [ -z "$holder" ] && return 0
  echo "setup: another apt or dpkg process is running (it holds $holder); waiting up to ${timeout} s for it to finish"
  while [ -n "$holder" ]; do
    if [ "$waited" -ge "$timeout" ]; then
      echo "setup: apt is still busy after ${timeout} s (lock $holder). Let the other installation finish" \
           "(or set APT_LOCK_TIMEOUT to wait longer), then run this script again." >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
    holder=$(apt_lock_holder)
  done
  echo "setup: apt is free again after ${waited} s"
}
