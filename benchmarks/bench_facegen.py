"""Virtual faces (issue 12): each combination of the public-domain test portraits (astronaut,
obama2, biden) is morphed with equal weights, then judged by independent models:

* detected and meshed like a photo (MediaPipe FaceMesh via ``analyze_face``);
* dlib 128-d identity distance to every source: target >= 0.4 (a new person);
* face sharpness (variance of the Laplacian at the smallest face's width) over the sources'
  mean: target >= 0.8 (no ghosting blur);
* wall time per face (2 shared cores), identity check included.

With no --weights the command itself shifts up to 0.24 of the weight away from a source the
face still resembles (dlib distance < 0.43), so the distance figure is not independent of that
step: it shows the step works, and ``notes`` say when it acted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

DATA = Path(__file__).parent.parent / "tests" / "data"
COMBOS = [("astronaut", "obama2"), ("obama2", "astronaut"), ("astronaut", "biden"), ("biden", "obama2"),
          ("astronaut", "obama2", "biden")]


def main() -> None:
    import cv2
    import numpy as np
    from skimage import data

    from digihuman.face.landmarks import analyze_face
    from digihuman.facegen import create_face
    from digihuman.facegen.measure import descriptor, face_sharpness, face_width, identity_distance
    from digihuman.persona.photo import load_photo

    with tempfile.TemporaryDirectory() as tmp:
        astro = Path(tmp) / "astronaut.jpg"
        cv2.imwrite(str(astro), data.astronaut()[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
        paths = {"astronaut": astro, "obama2": DATA / "obama2.jpg", "biden": DATA / "biden_head.jpg"}
        imgs = {k: load_photo(p) for k, p in paths.items()}
        lms = {k: analyze_face(v).landmarks for k, v in imgs.items()}
        desc = {k: descriptor(v) for k, v in imgs.items()}
        for combo in COMBOS:
            label = "+".join(combo)
            t0 = time.perf_counter()
            res = create_face([str(paths[k]) for k in combo])
            took = time.perf_counter() - t0
            try:
                fa = analyze_face(res.image)
            except Exception as exc:  # noqa: BLE001 - a figure, not a crash
                print(f"{label}: not detected ({exc})")
                report(f"{label}: detected and meshed", 0, "", "1")
                continue
            report(f"{label}: detected and meshed", 1, "", "1")
            d = descriptor(res.image)
            dist = min(identity_distance(d, desc[k]) for k in combo)
            report(f"{label}: min identity distance to a source", dist, "", ">= 0.4")
            w = min([face_width(lms[k]) for k in combo] + [face_width(fa.landmarks)])
            ratio = face_sharpness(res.image, fa.landmarks, w) / np.mean(
                [face_sharpness(imgs[k], lms[k], w) for k in combo])
            report(f"{label}: sharpness / sources' mean", ratio, "", ">= 0.8")
            report(f"{label}: time (2 shared cores)", took, "s")
            for note in res.notes:
                print(f"    note: {note}")


if __name__ == "__main__":
    main()
    sys.exit(finish())
