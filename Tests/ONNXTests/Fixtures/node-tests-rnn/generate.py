# Regenerates this folder from the ONNX package's own backend node-test cases (onnx 1.23.2).
# The onnx wheel no longer ships the generated test_*/ folders, only the case definitions
# (onnx/backend/test/case/node/{lstm,gru,rnn}.py, whose expected outputs come from the numpy
# reference implementations there). This writes each LSTM/GRU/RNN case in the usual layout:
# NAME/model.onnx, NAME/test_data_set_0/input_i.pb, output_i.pb.
# Usage: python3 -m venv /tmp/onnxvenv && /tmp/onnxvenv/bin/pip install onnx==1.23.2 numpy
#        /tmp/onnxvenv/bin/python generate.py .
import os
import shutil
import sys

import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node as node_cases

out = sys.argv[1]
names = []
for case in node_cases.collect_testcases():
    if not case.name.startswith(("test_lstm", "test_gru", "test_rnn", "test_simple_rnn")):
        continue
    folder = os.path.join(out, case.name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    for i, (inputs, outputs) in enumerate(case.data_sets):
        data = os.path.join(folder, f"test_data_set_{i}")
        os.makedirs(data)
        for j, value in enumerate(inputs):
            with open(os.path.join(data, f"input_{j}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(value, case.model.graph.input[j].name).SerializeToString())
        for j, value in enumerate(outputs):
            with open(os.path.join(data, f"output_{j}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(value, case.model.graph.output[j].name).SerializeToString())
    names.append(case.name)
print(f"onnx {onnx.__version__}: {len(names)} cases")
print("\n".join(sorted(names)))
