"""Drift-scenario client (stdlib only): sends inverted Fashion-MNIST test images with feedback, or keeps predicting.

  python3 client.py feedback URL KEY MODEL FIRST COUNT correct|random   # predict + feedback per image
  python3 client.py load URL KEY MODEL STOPFILE                           # predict until STOPFILE exists
"""
import gzip, json, os, random, sys, time, urllib.error, urllib.request

DATA = os.environ.get("ANVIL_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def images(first, count):
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")) as f:
        raw = f.read()[16 + first * 784:16 + (first + count) * 784]
    with gzip.open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = list(f.read()[8 + first:8 + first + count])
    # inverted: 255 - v, a shift the champion never saw
    return [[[[255 - raw[i * 784 + y * 28 + x] for x in range(28)] for y in range(28)]] for i in range(count)], labels


def post(url, key, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def feedback(url, key, model, first, count, kind):
    pictures, labels = images(first, count)
    rng = random.Random(3)
    for start in range(0, count, 50):
        _, answer = post(f"{url}/v1/models/{model}/predict", key, {"inputs": pictures[start:start + 50]})
        for i, prediction in enumerate(answer["predictions"]):
            label = labels[start + i] if kind == "correct" else rng.randrange(10)
            post(f"{url}/v1/predictions/{prediction['id']}/feedback", key, {"label": label})
    print(f"{count} inverted images sent to {model} with {kind} feedback labels")


def load(url, key, model, stop_file):
    pictures, _ = images(9000, 1000)  # never given feedback: what shadow replays alongside
    sent = failed = 0
    versions = {}
    while not os.path.exists(stop_file):
        sent += 1
        try:
            status, answer = post(f"{url}/v1/models/{model}/predict", key, {"inputs": [pictures[sent % 1000]]})
            version = answer["predictions"][0]["version"]
            versions[version] = versions.get(version, 0) + 1
        except (urllib.error.URLError, OSError):
            failed += 1
    print(json.dumps({"sent": sent, "failed": failed, "answered_by_version": versions}))


if __name__ == "__main__":
    command, url, key, model = sys.argv[1:5]
    if command == "feedback":
        feedback(url, key, model, int(sys.argv[5]), int(sys.argv[6]), sys.argv[7])
    else:
        load(url, key, model, sys.argv[5])
