#!/usr/bin/env python3
"""Audio front end (micro/dsp, host/dsp) vs librosa and tf.signal.

Audio: espeak-ng speech (resampled to 16 kHz with sox) and numpy signals.
Checks, per signal (tolerances in docs/audio_frontend.md):
  * host double chain and device float path vs librosa.feature.melspectrogram
    (HTK + no norm, and Slaney + slaney norm; center=False, the 480-sample
    window centred in the 512 FFT frame as librosa pads it) and librosa MFCC
    (DCT-II ortho of the same natural-log mel);
  * the same vs tf.signal (stft + linear_to_mel_weight_matrix +
    mfccs_from_log_mel_spectrograms; tf's c0 is sqrt(2) x the ortho c0);
  * fixed-point device path vs the host chain: SNR >= 40 dB (log-mel and MFCC).
Prints one JSON line with every measured figure; exit 1 on a failed check.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

SR = 16000
FLOOR = 1e-6
SENTENCES = [
    "Hey mote, turn on the lights in the kitchen please.",
    "Yes. No. Up. Down. Left. Right. On. Off. Stop. Go.",
    "The quick brown fox jumps over the lazy dog, quietly.",
]


def speech(text, workdir, idx, gain=1.0):
    wav = os.path.join(workdir, f"s{idx}.wav")
    raw = os.path.join(workdir, f"s{idx}.raw")
    subprocess.run(["espeak-ng", "-w", wav, text], check=True, capture_output=True)
    subprocess.run(["sox", wav, "-r", str(SR), "-c", "1", "-b", "16", "-e", "signed-integer",
                    "-t", "raw", raw, "vol", str(gain)], check=True, capture_output=True)
    return np.fromfile(raw, dtype="<i2")


def numpy_signals(rng):
    t = np.arange(SR * 2) / SR
    chirp = 0.3 * np.sin(2 * np.pi * (100 * t + 900 * t * t))
    tones = 0.2 * np.sin(2 * np.pi * 440 * t) + 0.05 * np.sin(2 * np.pi * 3100 * t)
    noise = 0.05 * rng.standard_normal(t.size)
    out = {}
    for name, x in [("chirp", chirp), ("tones", tones), ("noise", noise),
                    ("chirp_quiet", 0.01 * chirp + 0.0005 * rng.standard_normal(t.size))]:
        out[name] = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2")
    return out


def run_mote(mote, workdir, pcm, cfg, path):
    src = os.path.join(workdir, "in.npy")
    cfg_path = os.path.join(workdir, "cfg.json")
    out = os.path.join(workdir, "out.npy")
    np.save(src, pcm.astype("<i2"))
    with open(cfg_path, "w") as f:
        json.dump(cfg, f)
    subprocess.run([mote, "features", src, "--config", cfg_path, "--path", path, "-o", out],
                   check=True, capture_output=True)
    return np.load(out).astype(np.float64)


def librosa_feats(y, cfg):
    import librosa
    n_fft, win, hop = cfg["fft_size"], int(SR * cfg["window_ms"] / 1000), int(SR * cfg["hop_ms"] / 1000)
    pad = (n_fft - win) // 2  # librosa centres the short window in the FFT frame
    yp = np.pad(y, (pad, n_fft - win - pad))
    S = librosa.feature.melspectrogram(
        y=yp, sr=SR, n_fft=n_fft, hop_length=hop, win_length=win, window="hann", center=False,
        power=2.0, n_mels=cfg["mel_bands"], fmin=cfg["fmin_hz"], fmax=cfg["fmax_hz"],
        htk=cfg["mel_scale"] == "htk", norm="slaney" if cfg["mel_norm"] == "slaney" else None,
        dtype=np.float64)
    logmel = np.log(np.maximum(S, FLOOR))
    mfcc = librosa.feature.mfcc(S=logmel, n_mfcc=10, dct_type=2, norm="ortho")
    return logmel.T, mfcc.T


def tf_feats(y, cfg):
    import tensorflow as tf
    n_fft, win, hop = cfg["fft_size"], int(SR * cfg["window_ms"] / 1000), int(SR * cfg["hop_ms"] / 1000)
    x = tf.constant(y.astype(np.float32))
    stft = tf.signal.stft(x, frame_length=win, frame_step=hop, fft_length=n_fft,
                          window_fn=tf.signal.hann_window, pad_end=False)
    power = tf.math.real(stft * tf.math.conj(stft))
    w = tf.signal.linear_to_mel_weight_matrix(cfg["mel_bands"], n_fft // 2 + 1, SR,
                                              cfg["fmin_hz"], cfg["fmax_hz"])
    logmel = tf.math.log(tf.maximum(tf.matmul(power, w), FLOOR))
    mfcc = tf.signal.mfccs_from_log_mel_spectrograms(logmel)[:, :10].numpy().astype(np.float64)
    mfcc[:, 0] /= np.sqrt(2.0)  # tf scales every coefficient by sqrt(2/N): ortho c0 is sqrt(1/N)
    return logmel.numpy().astype(np.float64), mfcc


def snr_db(ref, x):
    return float(10 * np.log10(np.sum(ref ** 2) / max(np.sum((x - ref) ** 2), 1e-30)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args()
    workdir = a.workdir or tempfile.mkdtemp(prefix="mote_fe_")
    os.makedirs(workdir, exist_ok=True)
    rng = np.random.default_rng(7)
    signals = numpy_signals(rng)
    if shutil.which("espeak-ng") and shutil.which("sox"):
        for i, s in enumerate(SENTENCES):
            signals[f"speech{i}"] = speech(s, workdir, i)
        signals["speech_quiet"] = speech(SENTENCES[0], workdir, 9, gain=0.02)
    else:
        print("espeak-ng/sox missing: numpy signals only", file=sys.stderr)

    base = {"sample_rate_hz": SR, "window_ms": 30, "hop_ms": 20, "fft_size": 512, "mel_bands": 40,
            "fmin_hz": 20, "fmax_hz": 4000, "log_floor": FLOOR, "window": "hann"}
    configs = {
        "librosa_htk": dict(base, mel_scale="htk", mel_triangles="hz", mel_norm="none"),
        "librosa_slaney": dict(base, mel_scale="slaney", mel_triangles="hz", mel_norm="slaney",
                               fmax_hz=8000),
        "tf_signal": dict(base, mel_scale="htk", mel_triangles="mel", mel_norm="none"),
    }
    # Tolerances (natural-log units); see docs/audio_frontend.md.
    # host (double) vs librosa (float64): only the float32 .npy output rounding;
    # the float32 paths (device float, tf.signal) add float32 FFT / mel rounding.
    tol_exact_max = 1e-5
    tol_logmel_max, tol_mfcc_max, tol_rms = 5e-3, 5e-3, 5e-4
    fixed_snr_min = 40.0
    results, failures = {}, []
    for cname, cfg in configs.items():
        for sname, pcm in signals.items():
            y = pcm.astype(np.float64) / 32768.0
            ref_lm, ref_mf = (tf_feats(y, cfg) if cname == "tf_signal" else librosa_feats(y, cfg))
            r = {}
            for path in ("host", "float", "fixed"):
                lm = run_mote(a.mote, workdir, pcm, dict(cfg, feature="logmel", num_mfcc=0,
                                                         fixed_frac_bits=10, frames=1000), path)
                mf = run_mote(a.mote, workdir, pcm, dict(cfg, feature="mfcc", num_mfcc=10,
                                                         fixed_frac_bits=8, frames=1000), path)
                if lm.shape != ref_lm.shape or mf.shape != ref_mf.shape:
                    failures.append(f"{cname}/{sname}/{path}: shape {lm.shape} vs {ref_lm.shape}")
                    continue
                d_lm, d_mf = np.abs(lm - ref_lm), np.abs(mf - ref_mf)
                r[path] = {"logmel_max": float(d_lm.max()), "logmel_rms": float(np.sqrt((d_lm ** 2).mean())),
                           "mfcc_max": float(d_mf.max()), "mfcc_rms": float(np.sqrt((d_mf ** 2).mean())),
                           "logmel_snr_db": snr_db(ref_lm, lm), "mfcc_snr_db": snr_db(ref_mf, mf)}
                if path == "host" and cname != "tf_signal":
                    if max(d_lm.max(), d_mf.max()) > tol_exact_max:
                        failures.append(f"{cname}/{sname}/host: {r[path]}")
                elif path in ("host", "float"):
                    if d_lm.max() > tol_logmel_max or d_mf.max() > tol_mfcc_max or \
                            r[path]["logmel_rms"] > tol_rms or r[path]["mfcc_rms"] > tol_rms:
                        failures.append(f"{cname}/{sname}/{path}: {r[path]}")
                else:
                    if r[path]["logmel_snr_db"] < fixed_snr_min or r[path]["mfcc_snr_db"] < fixed_snr_min:
                        failures.append(f"{cname}/{sname}/fixed SNR: {r[path]}")
            results[f"{cname}/{sname}"] = r
    summary = {}
    for path in ("host", "float", "fixed"):
        for key in ("logmel_max", "mfcc_max", "logmel_rms", "mfcc_rms"):
            summary[f"{path}_{key}_worst"] = max(v[path][key] for v in results.values() if path in v)
        for key in ("logmel_snr_db", "mfcc_snr_db"):
            summary[f"{path}_{key}_min"] = min(v[path][key] for v in results.values() if path in v)
    out = {"summary": summary, "results": results, "failures": failures}
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump(out, f, indent=1)
    print(json.dumps(summary))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
