// The peer of the comparison: @neo4j/graphql 7 + @apollo/server 5 over the
// Neo4j that stancegraph writes (store/neo4jstore), read-only.
//
//   NEO4J_URI=bolt://127.0.0.1:7694 PORT=4094 node server.mjs
//
// The layout it reads: every entity is an (:Entity {id, kind, name, ...})
// with a label of its kind (:Company, :PolicyProposal, ...); a position is
// a SUPPORTS or OPPOSES relationship from actor to target whose properties
// are the position (id, strength, quote, sourceId, statedAt as a string)
// plus the keys stancegraph keeps for its indexes: sk (the sort key of the
// date, so that string order is the order of stancegraph's positions) and
// statedStart/statedEnd (the first and last day the date may mean).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = /* GraphQL */ `
  type Position @relationshipProperties {
    id: ID!
    strength: Int
    quote: String
    sourceId: String
    statedAt: String
    statedStart: String
    statedEnd: String
    sk: String
  }

  type Entity @node(labels: ["Entity"]) @mutation(operations: []) {
    id: ID!
    kind: String!
    name: String
    country: String
    supports: [Entity!]! @relationship(type: "SUPPORTS", direction: OUT, properties: "Position")
    opposes: [Entity!]! @relationship(type: "OPPOSES", direction: OUT, properties: "Position")
    supporters: [Entity!]! @relationship(type: "SUPPORTS", direction: IN, properties: "Position")
    opposers: [Entity!]! @relationship(type: "OPPOSES", direction: IN, properties: "Position")
  }

  # A position with its ends' ids, for the one listing the library cannot
  # root at a node: a page of relationships across the whole graph.
  type PositionRow {
    id: ID!
    strength: Int
    statedAt: String
    actor: ID!
    target: ID!
  }

  type Query {
    "OPPOSES positions of companies whose date may fall on or after $from, newest first."
    companyOppositions(from: String!, first: Int!): [PositionRow!]!
      @cypher(
        statement: """
        MATCH (a:Company)-[r:OPPOSES]->(t:Entity) WHERE r.statedEnd >= $from
        WITH a, r, t ORDER BY r.sk DESC, r.id DESC LIMIT $first
        RETURN {id: r.id, strength: r.strength, statedAt: r.statedAt, actor: a.id, target: t.id} AS row
        """
        columnName: "row"
      )
    "The same, told to read the (sk, id) index of OPPOSES newest first, as stancegraph's plans do."
    companyOppositionsIndexed(from: String!, first: Int!): [PositionRow!]!
      @cypher(
        statement: """
        MATCH (a:Company)-[r:OPPOSES]->(t:Entity) USING INDEX r:OPPOSES(sk, id)
        WHERE r.sk IS NOT NULL AND r.id IS NOT NULL AND r.statedEnd >= $from
        WITH a, r, t ORDER BY r.sk DESC, r.id DESC LIMIT $first
        RETURN {id: r.id, strength: r.strength, statedAt: r.statedAt, actor: a.id, target: t.id} AS row
        """
        columnName: "row"
      )
  }
`;

const uri = process.env.NEO4J_URI;
if (!uri) {
  console.error("set NEO4J_URI, e.g. bolt://127.0.0.1:7694");
  process.exit(2);
}
const driver = neo4j.driver(uri, neo4j.auth.none(), { maxConnectionPoolSize: 32 });
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4094) },
});
console.log(`peer: ${url} over ${uri}`);
