#!/bin/sh
# Regenerates the test certificates (valid until 2125): a CA, a server
# certificate for 127.0.0.1/localhost signed by it, and an unrelated CA.
set -eu
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days $days \
  -subj "/CN=Card Office Test CA" -addext "basicConstraints=critical,CA:true" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
  -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:false\nextendedKeyUsage=serverAuth\n' > ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt \
  -days $days -extfile ext.cnf 2>/dev/null
cat server.crt server.key > server.pem
openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days $days \
  -subj "/CN=Another Test CA" -addext "basicConstraints=critical,CA:true" 2>/dev/null
rm -f server.csr server.crt server.key ext.cnf ca.srl ca.key other-ca.key
