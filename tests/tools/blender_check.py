"""Import a BVH and a .glb into Blender (bpy) as a user would; print what Blender sees as JSON.

Run: python blender_check.py MOTION.bvh MANNEQUIN.glb FRAME   (FRAME: a frame number at 30 fps)
"""

import json
import sys

import bpy

bvh, glb, frame = sys.argv[-3], sys.argv[-2], int(sys.argv[-1])
out = {}
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_anim.bvh(filepath=bvh, global_scale=1.0, use_fps_scale=False, update_scene_fps=True,
                        axis_forward="-Z", axis_up="Y")
scn = bpy.context.scene
arm = next(o for o in scn.objects if o.type == "ARMATURE")
out["bvh_bones"] = sorted(b.name for b in arm.data.bones)
out["bvh_fps"] = scn.render.fps / scn.render.fps_base
scn.frame_set(frame + 1)  # Blender's BVH frames start at 1
out["bvh_hand"] = list(arm.matrix_world @ arm.pose.bones["LeftHand"].head)
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_scene.gltf(filepath=glb)
scn = bpy.context.scene
scn.render.fps, scn.render.fps_base = 30, 1.0
arm = next(o for o in scn.objects if o.type == "ARMATURE")
out["glb_types"] = sorted({o.type for o in scn.objects})
out["glb_bones"] = len(arm.data.bones)
fps_import = 24.0  # the glTF importer keys the animation at the scene's default 24 frames/s
scn.frame_set(round(frame * fps_import / 30.0))
out["glb_time"] = round(frame * fps_import / 30.0) / fps_import
out["glb_hand"] = list(arm.matrix_world @ arm.pose.bones["LeftHand"].head)
print("RESULT " + json.dumps(out))
