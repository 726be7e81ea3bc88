module example.com/slimstage/hello

go 1.21
