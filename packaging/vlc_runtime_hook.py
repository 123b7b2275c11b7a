"""PyInstaller runtime hook: the bundled libVLC looks for its plugins inside the bundle, where there are none.

Point it at the system's plugins (the .deb depends on ``vlc-plugin-base``), unless the user chose a path.
"""

import os

SYSTEM_PLUGINS = "/usr/lib/x86_64-linux-gnu/vlc/plugins"

if "VLC_PLUGIN_PATH" not in os.environ and os.path.isdir(SYSTEM_PLUGINS):
    os.environ["VLC_PLUGIN_PATH"] = SYSTEM_PLUGINS
