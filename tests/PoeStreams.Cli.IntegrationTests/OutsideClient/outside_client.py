"""An upstream and a downstream team's client, written with nothing of PoeStreams but its .avsc files
and the registry's URL: Confluent's Python client registers the schemas, publishes a miner and one
verified job, then reads the job's fee split back and prints it as one JSON line.

usage: outside_client.py BOOTSTRAP REGISTRY_URL SCHEMA_DIR MINER_ID JOB_ID TIMEOUT_SECONDS
"""
import datetime
import decimal
import json
import sys
import time

from confluent_kafka import Consumer, Producer, avro
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

bootstrap, registry_url, schema_dir, miner_id, job_id, timeout = sys.argv[1:7]
serde = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
now = datetime.datetime.now(datetime.timezone.utc)
millis = int(now.timestamp() * 1000)

# Python's avro writes a decimal's digits as they are: it must carry the schema's scale (18) itself.
def scaled(text):
    return decimal.Decimal(text).quantize(decimal.Decimal("1e-18"))


producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random"})


def publish(topic, schema_file, key, value):
    encoded = serde.encode_record_with_schema(topic, avro.load(f"{schema_dir}/{schema_file}"), value)
    producer.produce(topic, key=key, value=encoded, timestamp=millis)


publish("poe.miners", "miner-registered.avsc", miner_id,
        {"miner_id": miner_id, "specialization": "Compute", "registered_at": now})
publish("poe.jobs", "economic-job.avsc", miner_id, {
    "job_id": job_id, "miner_id": miner_id, "job_type": "Compute",
    "job_value": scaled("1234.5"), "quality_score": scaled("0.9"),
    "status": "Verified", "completion_time": now, "revenue_streams": []})
if producer.flush(30) != 0:
    sys.exit("not every record was delivered")

consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"outside-{job_id}", "auto.offset.reset": "earliest"})
consumer.subscribe(["poe.job-fees"])
deadline = time.monotonic() + float(timeout)
while time.monotonic() < deadline:
    message = consumer.poll(1.0)
    if message is None or message.error() or message.key() != job_id.encode():
        continue
    split = serde.decode_message(message.value())
    print(json.dumps({name: str(value.normalize() if isinstance(value, decimal.Decimal) else value) for name, value in split.items()}))
    consumer.close()
    sys.exit(0)
sys.exit(f"no fee split for {job_id} within {timeout} s")
