# lit configuration for dlc's IR and diagnostic tests.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "dlc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".dl", ".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.dlc_obj_root
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in", "Inputs"]

config.substitutions.append(("%models", os.path.join(config.dlc_source_dir, "models")))

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dlc_tools_dir, append_path=True)

# ptxas (CUDA toolkit), when installed, assembles the PTX dlc emits.
import shutil
cuda_dirs = [os.path.join(os.environ["CUDA_PATH"], "bin")] if "CUDA_PATH" in os.environ else []
cuda_dirs.append("/usr/local/cuda/bin")
ptxas = shutil.which("ptxas") or next(
    (os.path.join(d, "ptxas") for d in cuda_dirs
     if os.access(os.path.join(d, "ptxas"), os.X_OK)), None)
if ptxas:
    config.available_features.add("ptxas")
    llvm_config.with_environment("PATH", os.path.dirname(ptxas), append_path=True)
