"""Reading speed and memory of the command line's CSV reader (issue 12's target: a 1e6 x 8 file in
under 1.5 s and under 300 MB). Not a test: timings depend on the machine and on its load.

    python bench/bench_cli.py [n_rows]

Each measurement runs in a fresh process (so that its peak resident memory is its own), five times,
alternating with a baseline process that only imports the package; the medians are printed."""
import os, statistics, subprocess, sys, tempfile
import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
D = 8

def main():
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, 'big.csv')
    X = np.random.default_rng(0).normal(size=(N, D))
    np.savetxt(path, X, delimiter=',', header=','.join(f'c{j}' for j in range(D)), comments='', fmt='%.6g')
    print(f'{N} rows x {D} columns, {os.path.getsize(path) / 1e6:.0f} MB of CSV')
    timed = ("import time, resource; t0 = time.perf_counter(); from gmm_literate.cli import read_csv; "
             f"X, names, rows = read_csv({path!r}); t = time.perf_counter() - t0; "
             "assert X.shape == ({N}, {D}); "
             "print(t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)").replace('{N}', str(N)).replace('{D}', str(D))
    base = ("import time, resource; t0 = time.perf_counter(); import gmm_literate.cli; "
            "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    runs, bases = [], []
    for _ in range(5):
        for code, out in ((base, bases), (timed, runs)):
            r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
            out.append(tuple(map(float, r.stdout.split())))
    (t, mb), (tb, mbb) = [tuple(statistics.median(v) for v in zip(*x)) for x in (runs, bases)]
    print(f'read_csv (import included): {t:.2f} s, peak {mb:.0f} MB   (targets: 1.5 s, 300 MB)')
    print(f'importing the package alone: {tb:.2f} s, peak {mbb:.0f} MB')
    print(f'reading alone: {t - tb:.2f} s, {mb - mbb:.0f} MB above the import; the array itself is {N * D * 8 / 1e6:.0f} MB')
    os.remove(path); os.rmdir(folder)

if __name__ == '__main__':
    main()
