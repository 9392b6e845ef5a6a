"""Runs against a real `./anvil serve` (tests/Anvil.Cli.Tests/ClientTests.cs starts it and sets):
ANVIL_URL, ANVIL_API_KEY (a key on an unlimited plan), ANVIL_LIMITED_KEY (a key allowed 1 request a minute),
both for organization 'acme' with a Fashion-MNIST model 'fashion', and ANVIL_GENERATOR (a generator model's name)."""

import os
import random
import struct
import unittest
import zlib

import anvil_client as anvil

URL = os.environ.get("ANVIL_URL")


def png(seed, size=28):
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(size)) for _ in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def client(key=None, **options):
    options.setdefault("initial_backoff", 0.05)
    options.setdefault("max_backoff", 0.2)
    return anvil.AnvilClient(URL, api_key=key or os.environ["ANVIL_API_KEY"], **options)


@unittest.skipUnless(URL, "needs a running server: ANVIL_URL")
class ClientTest(unittest.TestCase):
    def test_every_route_answers(self):
        c = client()
        one = c.predict_images("fashion", [png(1)])
        two = c.predict_images("fashion", [png(2), png(3)], alias="champion")
        pixels = c.predict("fashion", [[[[0] * 28 for _ in range(28)]]], version=1)
        self.assertEqual(("fashion", 1), (one["model"], one["version"]))
        self.assertEqual(2, len(two["predictions"]))
        self.assertEqual(10, len(pixels["predictions"][0]["probabilities"]))
        self.assertIn("fashion", [m["name"] for m in c.list_models()])
        self.assertEqual([1], [v["version"] for v in c.get_model("fashion")["versions"]])
        feedback = c.send_feedback(one["predictions"][0]["id"], "Sneaker", "a shoe")
        self.assertEqual(("Sneaker", 7), (feedback["label_name"], feedback["label"]))
        page = c.list_feedback(model="fashion", label="Sneaker", limit=50)
        self.assertIn(one["predictions"][0]["id"], [item["prediction_id"] for item in page["items"]])
        self.assertGreaterEqual(c.get_usage()["invoice"]["billed_predictions"], 4)

    def test_a_generator_answers_the_same_images_for_a_seed(self):
        c = client()
        first = c.generate(os.environ["ANVIL_GENERATOR"], 2, 7)
        again = c.generate(os.environ["ANVIL_GENERATOR"], 2, 7)
        self.assertEqual(2, len(first["images"]))
        self.assertEqual(first["images"][1]["png_base64"], again["images"][1]["png_base64"])
        with self.assertRaises(anvil.AnvilInvalidRequestError):
            c.generate(os.environ["ANVIL_GENERATOR"], 1, -1)

    def test_refusals_are_typed_and_never_retried(self):
        c = client()
        with self.assertRaises(anvil.AnvilNotFoundError) as missing:
            c.predict_images("nope", [png(1)])
        self.assertIn("nope", missing.exception.detail)
        with self.assertRaises(anvil.AnvilInvalidRequestError) as wrong:
            c.predict("fashion", [[1, 2, 3]])
        self.assertEqual(400, wrong.exception.status)
        self.assertEqual(2, c.attempts)  # one attempt each: a 4xx is not retried
        with self.assertRaises(anvil.AnvilAuthenticationError):
            client(os.environ["ANVIL_API_KEY"][:-4] + "AAAA").list_models()
        with self.assertRaises(ValueError):
            anvil.AnvilClient(URL, api_key=" ")

    def test_a_429_is_retried_then_raised_with_its_retry_after(self):
        c = client(os.environ["ANVIL_LIMITED_KEY"], max_retries=2)
        c.predict_images("fashion", [png(1)])
        with self.assertRaises(anvil.AnvilRateLimitError) as limited:
            c.predict_images("fashion", [png(2)])
        self.assertEqual(1 + 3, c.attempts)
        self.assertTrue(1 <= limited.exception.retry_after <= 61)

    def test_the_same_idempotency_key_is_answered_once(self):
        first = client().predict_images("fashion", [png(9)], idempotency_key="py-order-1")
        again = client().predict_images("fashion", [png(9)], idempotency_key="py-order-1")  # a restarted process
        self.assertEqual(first["predictions"][0]["id"], again["predictions"][0]["id"])

    def test_connection_failures_are_retried_then_raised(self):
        waits = []
        c = anvil.AnvilClient("http://127.0.0.1:9", api_key="anvil_x", max_retries=3, sleep=waits.append)
        with self.assertRaises(anvil.AnvilConnectionError):
            c.list_models()
        self.assertEqual(4, c.attempts)
        self.assertEqual(3, len(waits))
        self.assertTrue(waits[0] < waits[2])  # backing off


if __name__ == "__main__":
    unittest.main()
