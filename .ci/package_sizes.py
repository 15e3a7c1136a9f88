"""Lists each function `sam build` built: its bootstrap and the zip `sam deploy` uploads, compressed as it
compresses them (deflate)."""

import io
import os
import sys
import zipfile

build = sys.argv[1]
print("| function | bootstrap | zip |")
print("| --- | --- | --- |")
total = 0
for name in sorted(os.listdir(build)):
    bootstrap = os.path.join(build, name, "bootstrap")
    if not os.path.isfile(bootstrap):
        continue
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(bootstrap, "bootstrap")
    zipped = len(buffer.getvalue())
    total += zipped
    print(f"| {name} | {os.path.getsize(bootstrap) / 1e6:.1f} MB | {zipped / 1e6:.1f} MB |")
print(f"| all | | {total / 1e6:.1f} MB |")
