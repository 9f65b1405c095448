# Regenerates the small fixture files in this folder (needs torch and numpy in a throwaway venv,
# never in the repository):  python3 make_fixtures.py
import collections
import os

import numpy as np
import numpy.lib.format as npformat
import torch

out = os.path.dirname(os.path.abspath(__file__))

# PyTorch: the same state dict in the zip (1.6+) and legacy (pre-1.6) containers, with views that
# share one storage (a transpose and a row at storage offset 4) and every common dtype.
base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4 - 1
d = collections.OrderedDict()
d['conv.weight'] = base
d['conv.weight_t'] = base.t()
d['row'] = base[1]
d['half'] = torch.tensor([1.5, -2.25, 65504.0, 6.1035156e-05], dtype=torch.float16)
d['bf16'] = torch.tensor([1.0, -3.5, 0.1], dtype=torch.bfloat16)
d['double'] = torch.tensor([[1.0 / 3, -2.5]], dtype=torch.float64)
d['ints'] = torch.tensor([-7, 0, 2**40], dtype=torch.int64)
d['i32'] = torch.tensor([3, -4], dtype=torch.int32)
d['flags'] = torch.tensor([True, False, True])
d['bn.num_batches_tracked'] = torch.tensor(42)
d['empty'] = torch.zeros(0, 5)
torch.save(d, out + '/small_zip.pt')
torch.save(d, out + '/small_legacy.pt', _use_new_zipfile_serialization=False)
torch.save({'epoch': 3, 'model': {'fc.weight': torch.ones(2, 2), 'fc.bias': torch.zeros(2)}, 'lr': 0.1},
           out + '/nested_zip.pt')

# NumPy .npy (v1 and v2 headers, byte orders, Fortran order, an object array to refuse) and .npz.
np.save(out + '/f4.npy', np.arange(6, dtype='<f4').reshape(2, 3) * 0.5)
np.save(out + '/f8_fortran.npy', np.asfortranarray(np.arange(6, dtype='<f8').reshape(2, 3)))
np.save(out + '/f2.npy', np.array([0.5, -1.0, 2.0], dtype='<f2'))
np.save(out + '/i8.npy', np.array([[1, -2], [3, 2**40]], dtype='<i8'))
np.save(out + '/i4_be.npy', np.array([1, -2, 300], dtype='>i4'))
np.save(out + '/scalar.npy', np.float32(7.25))
np.save(out + '/object.npy', np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
with open(out + '/v2.npy', 'wb') as f:
    npformat.write_array(f, np.arange(4, dtype='<f4'), version=(2, 0))
np.savez(out + '/stored.npz', a=np.arange(3, dtype='<f4'), b=np.eye(2, dtype='<f8'))
np.savez_compressed(out + '/deflated.npz', a=np.arange(3, dtype='<f4'), b=np.eye(2, dtype='<f8'))
