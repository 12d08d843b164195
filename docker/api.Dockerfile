# The API (io.shopkeeper.api.ApiMain), configured by SHOPKEEPER_* environment variables. Build from
# the project root:
#   docker build -f docker/api.Dockerfile -t shopkeeper-api:0.1.0 .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -pl serving-api -am -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true \
 && mvn -B -q dependency:copy-dependencies -pl serving-api -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp serving-api/target/shopkeeper-serving-api-*.jar /app/lib/

FROM eclipse-temurin:17-jre
COPY --from=build /app/lib /app/lib
EXPOSE 7070
USER 10001
ENTRYPOINT ["java", "-Xmx512m", "-cp", "/app/lib/*", "io.shopkeeper.api.ApiMain"]
