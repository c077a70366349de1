#!/usr/bin/env bash
# A Java runtime for the Spark target (pyspark's local SparkSession runs in a
# JVM). When it cannot be installed the Spark tests fail, naming it.
exec "$(dirname "$0")/ensure_debian_package.sh" java openjdk-17-jre-headless
