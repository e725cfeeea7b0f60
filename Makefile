# The verbs a person types. Needs only Java 17, Maven and make; Maven fetches everything else.
MVN ?= mvn -B
JAR := pipelines/target/windowpane-pipelines.jar
SPARK_JAR := spark/target/windowpane-spark.jar
# The demo: top sellers of the last hour, every minute, from the built-in generator (Ctrl-C ends it),
# with the live dashboard on port UI (8080; UI=false turns it off).
RUN_ARGS ?=
UI ?= 8080
SOURCES := pom.xml transforms/pom.xml pipelines/pom.xml \
	$(shell find transforms/src/main pipelines/src/main -type f 2>/dev/null)

.PHONY: run test package package-spark clean bench install-library

## run: build the jar if needed, then run top-sellers on the DirectRunner fed by the generator,
## with the live dashboard at http://127.0.0.1:$(UI)/ (UI=false: none; UI=0: any free port).
## Ctrl-C stops it: the pipeline says "Stopped." and prints its metrics, the JVM exits with 130,
## which is how the demo ends, not a failure (the shell traps the interrupt so make stays quiet).
run: $(JAR)
	@trap 'true' INT; java -jar $(JAR) top-sellers --ui=$(UI) $(RUN_ARGS) || [ $$? -eq 130 ]

## test: the whole test suite
test:
	$(MVN) verify

## package: build the two bundled jars (tests skipped): pipelines/target/windowpane-pipelines.jar
## (DirectRunner, FlinkRunner, PortableRunner) and spark/target/windowpane-spark.jar (DirectRunner,
## SparkRunner); package-spark builds only the second
package: $(JAR) $(SPARK_JAR)

package-spark: $(SPARK_JAR)

$(JAR): $(SOURCES)
	$(MVN) -q package -DskipTests -pl pipelines -am

$(SPARK_JAR): $(SOURCES) spark/pom.xml
	$(MVN) -q package -DskipTests -pl spark -am

## install-library: install just the library (windowpane-transforms with its sources and Javadoc
## jars; its POM stands alone) into the local Maven repository, for use from another project
install-library:
	$(MVN) -q -pl transforms -am install -DskipTests -Plibrary

## clean: remove build output
clean:
	$(MVN) -q clean

## bench: the side-by-side benchmark (issue 4); QUICK=1 for the 5-minute run, BENCH_ARGS passes options
BENCH_CLASSPATH = bench/core/target/classes:$$(cat bench/core/target/classpath.txt)

bench:
	$(MVN) -q -pl bench/flink,bench/spark -am compile
	java -Xmx1g -cp "$(BENCH_CLASSPATH)" dev.windowpane.bench.Bench $(if $(QUICK),--quick) $(BENCH_ARGS)

## flink-up: start a local Flink 1.19 session cluster (1 JobManager, 2 TaskManagers) on 127.0.0.1,
## web UI and REST API on FLINK_PORT (8081), logs in target/flink-cluster/log; flink-down stops it.
## HA=1: highly available, ZooKeeper on 2181 and a standby JobManager (web UI on FLINK_PORT + 1)
FLINK_PORT ?= 8081
FLINK_CLUSTER = java -cp flink-cluster/target/classes dev.windowpane.cluster.FlinkCluster

## jobserver: Beam's Flink job server (embedded Flink; JOBSERVER_FLINK=HOST:PORT for a cluster) on
## 127.0.0.1:JOB_PORT (8099), for --runner=PortableRunner --jobEndpoint=127.0.0.1:8099
## --defaultEnvironmentType=LOOPBACK; Ctrl-C stops it
JOB_PORT ?= 8099
JOBSERVER_FLINK ?= [local]

.PHONY: flink-up flink-down jobserver
jobserver: $(JAR)
	@trap 'true' INT; java -Xmx1g -cp $(JAR) org.apache.beam.runners.flink.FlinkJobServerDriver \
		--job-host=127.0.0.1 --job-port=$(JOB_PORT) --artifact-port=0 --expansion-port=0 \
		--flink-master=$(JOBSERVER_FLINK) || [ $$? -eq 130 ]

flink-up:
	$(MVN) -q -pl flink-cluster compile
	$(FLINK_CLUSTER) up --dir=target/flink-cluster --port=$(FLINK_PORT) $(if $(HA),--ha=true)

flink-down:
	@if [ -f flink-cluster/target/classes/dev/windowpane/cluster/FlinkCluster.class ]; then \
		$(FLINK_CLUSTER) down --dir=target/flink-cluster; \
	else echo "No Flink cluster is running (the launcher was never built), so there is nothing to stop."; fi

## kafka-up: start a local Kafka 3.9 cluster (KRaft, no ZooKeeper) on 127.0.0.1:KAFKA_PORT (9092),
## data and logs in target/kafka-cluster; BROKERS=3 starts three nodes on KAFKA_PORT..KAFKA_PORT+2
## with replication factor 3 and min.insync.replicas=2; kafka-down stops it (its topics stay)
KAFKA_PORT ?= 9092
BROKERS ?= 1
KAFKA_CLUSTER = java -cp kafka-cluster/target/classes dev.windowpane.kafka.KafkaCluster

.PHONY: kafka-up kafka-down
kafka-up:
	$(MVN) -q -pl kafka-cluster compile
	$(KAFKA_CLUSTER) up --dir=target/kafka-cluster --port=$(KAFKA_PORT) --brokers=$(BROKERS)

kafka-down:
	@if [ -f kafka-cluster/target/classes/dev/windowpane/kafka/KafkaCluster.class ]; then \
		$(KAFKA_CLUSTER) down --dir=target/kafka-cluster; \
	else echo "No Kafka cluster is running (the launcher was never built), so there is nothing to stop."; fi
